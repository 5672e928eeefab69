import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Sharp } from 'sharp';
import { AppError } from '../app-error.ts';

// libvips also ships loaders for SVG, PDF, TIFF, HEIF and more, and picks one from the bytes. Whatever the
// sniffing below says, only these four may ever decode anything in this process.
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({
  operation: ['VipsForeignLoadPngBuffer', 'VipsForeignLoadJpegBuffer', 'VipsForeignLoadWebpBuffer', 'VipsForeignLoadNsgifBuffer'],
});

export type ImageExt = 'png' | 'jpg' | 'webp';

export interface Image {
  bytes: Uint8Array;
  ext: ImageExt;
  contentType: string;
  width: number;
  height: number;
}

/**
 * Sniffed type → what libvips must agree it is, and what we store. A GIF becomes its first frame as PNG:
 * pictures here are still, and re-encoding animations costs CPU per frame.
 */
const ACCEPTED: Record<string, { decodesAs: string; ext: ImageExt }> = {
  png: { decodesAs: 'png', ext: 'png' },
  apng: { decodesAs: 'png', ext: 'png' },
  jpg: { decodesAs: 'jpeg', ext: 'jpg' },
  webp: { decodesAs: 'webp', ext: 'webp' },
  gif: { decodesAs: 'gif', ext: 'png' },
};

const CONTENT_TYPES: Record<ImageExt, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

const unsupported = () => new AppError('UNSUPPORTED_FILE', 'Please choose a PNG, JPEG, WebP or GIF picture.');

async function encode(pipeline: Sharp, ext: ImageExt): Promise<Image> {
  const encoded =
    ext === 'jpg' ? pipeline.jpeg({ quality: 85, mozjpeg: true }) : ext === 'webp' ? pipeline.webp({ quality: 82 }) : pipeline.png();
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true }).catch(() => {
    throw unsupported();
  });
  return { bytes: data, ext, contentType: CONTENT_TYPES[ext], width: info.width, height: info.height };
}

/**
 * Turns untrusted bytes into a fresh, metadata-free picture whose longest side is at most `maxSidePx`. The type
 * comes from the bytes alone; the result is re-encoded from decoded pixels, so nothing of the original file survives
 * (EXIF, GPS, trailing HTML, comments).
 */
export async function normalizeImage(input: Uint8Array, limits: { maxPixels: number; maxSidePx: number }): Promise<Image> {
  const sniffed = await fileTypeFromBuffer(input);
  const accepted = sniffed ? ACCEPTED[sniffed.ext] : undefined;
  if (!accepted) throw unsupported();

  // The header alone gives the dimensions; refuse a pixel bomb before decoding a single row.
  const meta = await sharp(input, { limitInputPixels: false }).metadata().catch(() => {
    throw unsupported();
  });
  if (meta.format !== accepted.decodesAs) throw unsupported();
  if ((meta.width ?? 0) * (meta.height ?? 0) > limits.maxPixels) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'This picture has too many pixels.');
  }
  // By default sharp writes no metadata at all; autoOrient first bakes the EXIF orientation into the pixels.
  const pipeline = sharp(input, { limitInputPixels: limits.maxPixels, failOn: 'error' })
    .timeout({ seconds: 10 })
    .autoOrient()
    .resize(limits.maxSidePx, limits.maxSidePx, { fit: 'inside', withoutEnlargement: true });
  return encode(pipeline, accepted.ext);
}

/** A small WebP of a picture normalizeImage made (so already trusted), for lists and bubbles. */
export function thumbnailOf(image: Image, sidePx: number): Promise<Image> {
  return encode(sharp(image.bytes).resize(sidePx, sidePx, { fit: 'inside', withoutEnlargement: true }), 'webp');
}
