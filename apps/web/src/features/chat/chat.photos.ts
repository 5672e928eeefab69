import { isAppCode, LIMITS, type AppCode, type Message } from '@youngchat/shared';
import { checkPicture } from '../profile/picture-check.ts';

/**
 * Photos in chat without a browser: the early checks before an upload, the size a thumbnail takes in a bubble,
 * reading the API's answer to a hand-made upload, and the cache of pictures fetched with the access token.
 */

/** Too big or plainly not a photo, said before the upload; the server sniffs the bytes anyway. */
export function checkPhoto(file: { size: number; type: string }): AppCode | null {
  return checkPicture(file, LIMITS.photo.maxBytes);
}

/** Decoded, a picture this big is refused by the server: said as soon as the preview knows its size. */
export function tooManyPixels(width: number, height: number): boolean {
  return width * height > LIMITS.photo.maxPixels;
}

/** The largest a thumbnail is drawn in a bubble (CSS px), and the least its longer side gets (tiny pictures). */
const BOX = { maxWidth: 260, maxHeight: 320, minSide: 120 };

/**
 * The thumbnail's box from the picture's own size, known before its bytes arrive: the bubble is drawn at its final
 * size at once, so nothing below it jumps when the picture comes in.
 */
export function photoBox(width: number, height: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) return { width: BOX.maxWidth, height: BOX.maxWidth };
  const fit = Math.min(BOX.maxWidth / width, BOX.maxHeight / height);
  const grow = BOX.minSide / Math.max(width, height);
  const scale = Math.min(fit, Math.max(1, grow));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** An error shaped like a TRPCClientError's, so toProblem reads both alike; none at all means no answer came. */
export class UploadError extends Error {
  constructor(readonly data: { appCode: AppCode; retryAfterMs?: number } | null) {
    super(data ? `upload refused: ${data.appCode}` : 'upload failed: no answer');
  }
}

/**
 * tRPC's JSON answer to a single (unbatched) call: `{"result":{"data":…}}` or `{"error":{…,"data":{"appCode":…}}}`.
 * An answer that is neither (a proxy's error page, a cut connection) counts as no answer.
 */
export function readEnvelope(status: number, text: string): { ok: true; message: Message } | { ok: false; error: UploadError } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A proxy's own "413 Request Entity Too Large" page says what happened even without our envelope.
    return { ok: false, error: new UploadError(status === 413 ? { appCode: 'PAYLOAD_TOO_LARGE' } : null) };
  }
  const envelope = isRecord(parsed) ? parsed : {};
  const result = isRecord(envelope.result) ? envelope.result : null;
  if (status >= 200 && status < 300 && result && isMessage(result.data)) return { ok: true, message: result.data };
  const error = isRecord(envelope.error) ? envelope.error : null;
  const data = error && isRecord(error.data) ? error.data : null;
  // Our envelope without a usable answer in it still came from the server; anything else did not.
  if (!data || !isAppCode(data.appCode)) return { ok: false, error: new UploadError(error || result ? { appCode: 'INTERNAL' } : null) };
  const retryAfterMs = typeof data.retryAfterMs === 'number' && Number.isFinite(data.retryAfterMs) ? data.retryAfterMs : undefined;
  return { ok: false, error: new UploadError({ appCode: data.appCode, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isMessage(value: unknown): value is Message {
  return isRecord(value) && typeof value.id === 'string' && typeof value.roomId === 'string' && typeof value.seq === 'number';
}

interface Entry {
  url: Promise<string>;
  users: number;
  /** When it was last let go of; the oldest unused go first. */
  releasedAt: number;
}

export interface BlobCacheOptions {
  load: (url: string) => Promise<Blob>;
  createUrl: (blob: Blob) => string;
  revokeUrl: (url: string) => void;
  /** Pictures kept after nobody shows them any more, so scrolling back does not fetch them again. */
  keepUnused: number;
}

/**
 * Pictures by their API URL, fetched once and shown through blob: URLs. One in use is never revoked; of those not
 * in use the most recently shown are kept (scrolling back and forth costs nothing) and the rest revoked, so a long
 * history does not pin every photo in memory. A failed fetch is forgotten, so the next look tries again.
 */
export class BlobCache {
  private entries = new Map<string, Entry>();
  private tick = 0;

  constructor(private readonly options: BlobCacheOptions) {}

  acquire(url: string): Promise<string> {
    let entry = this.entries.get(url);
    if (!entry) {
      const loading = this.options.load(url).then((blob) => this.options.createUrl(blob));
      entry = { url: loading, users: 0, releasedAt: 0 };
      this.entries.set(url, entry);
      const created = entry;
      loading.catch(() => {
        if (this.entries.get(url) === created) this.entries.delete(url);
      });
    }
    entry.users++;
    return entry.url;
  }

  release(url: string): void {
    const entry = this.entries.get(url);
    if (!entry || entry.users === 0) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.releasedAt = ++this.tick;
    const unused = [...this.entries].filter(([, e]) => e.users === 0).sort(([, a], [, b]) => a.releasedAt - b.releasedAt);
    for (const [key, e] of unused.slice(0, Math.max(0, unused.length - this.options.keepUnused))) this.drop(key, e);
  }

  /** On sign-out: nothing of this person's stays readable in the tab. */
  clear(): void {
    for (const [key, entry] of [...this.entries]) this.drop(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    entry.url.then(this.options.revokeUrl, () => undefined);
  }
}
