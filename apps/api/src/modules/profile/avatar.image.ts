import { LIMITS } from '@youngchat/shared';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../../app-error.ts';

// libvips also ships loaders for SVG, PDF, TIFF, HEIF and more, and picks one from the bytes. Whatever the
// sniffing below says, only these four may ever decode anything in this process.
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({
  operation: ['VipsForeignLoadPngBuffer', 'VipsForeignLoadJpegBuffer', 'VipsForeignLoadWebpBuffer', 'VipsForeignLoadNsgifBuffer'],
});

export type AvatarExt = 'png' | 'jpg' | 'webp';

export interface AvatarImage {
  bytes: Uint8Array;
  ext: AvatarExt;
  contentType: string;
}

/**
 * Sniffed type → what libvips must agree it is, and what we store. A GIF becomes its first frame as PNG:
 * an avatar is a still picture, and re-encoding animations costs CPU per frame.
 */
const ACCEPTED: Record<string, { decodesAs: string; ext: AvatarExt }> = {
  png: { decodesAs: 'png', ext: 'png' },
  apng: { decodesAs: 'png', ext: 'png' },
  jpg: { decodesAs: 'jpeg', ext: 'jpg' },
  webp: { decodesAs: 'webp', ext: 'webp' },
  gif: { decodesAs: 'gif', ext: 'png' },
};

const CONTENT_TYPES: Record<AvatarExt, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

const unsupported = () => new AppError('UNSUPPORTED_FILE', 'Please choose a PNG, JPEG, WebP or GIF picture.');

/**
 * Turns untrusted bytes into a fresh, metadata-free image of at most sizePx square. The type comes from the
 * bytes alone; the result is re-encoded from decoded pixels, so nothing of the original file survives
 * (EXIF, GPS, trailing HTML, comments).
 */
export async function normalizeAvatar(input: Uint8Array): Promise<AvatarImage> {
  const sniffed = await fileTypeFromBuffer(input);
  const accepted = sniffed ? ACCEPTED[sniffed.ext] : undefined;
  if (!accepted) throw unsupported();

  // The header alone gives the dimensions; refuse a pixel bomb before decoding a single row.
  const meta = await sharp(input, { limitInputPixels: false }).metadata().catch(() => {
    throw unsupported();
  });
  if (meta.format !== accepted.decodesAs) throw unsupported();
  if ((meta.width ?? 0) * (meta.height ?? 0) > LIMITS.avatar.maxPixels) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'This picture has too many pixels.');
  }

  const size = LIMITS.avatar.sizePx;
  // By default sharp writes no metadata at all; autoOrient first bakes the EXIF orientation into the pixels.
  const pipeline = sharp(input, { limitInputPixels: LIMITS.avatar.maxPixels, failOn: 'error' })
    .timeout({ seconds: 10 })
    .autoOrient()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true });
  const encoded =
    accepted.ext === 'jpg'
      ? pipeline.jpeg({ quality: 85, mozjpeg: true })
      : accepted.ext === 'webp'
        ? pipeline.webp({ quality: 85 })
        : pipeline.png();
  const bytes = await encoded.toBuffer().catch(() => {
    throw unsupported();
  });
  return { bytes, ext: accepted.ext, contentType: CONTENT_TYPES[accepted.ext] };
}
