import { LIMITS, type AppCode } from '@youngchat/shared';

/** Types the API re-encodes. The server sniffs the bytes anyway; this only saves a pointless upload. */
export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

/**
 * A quick look before uploading (a profile picture, or a photo in chat with its own limit): too big, or plainly
 * not a photo. An empty type (some systems do not know .webp or .heic) is let through for the server to decide.
 */
export function checkPicture(file: { size: number; type: string }, maxBytes: number = LIMITS.avatar.maxBytes): AppCode | null {
  if (file.size > maxBytes) return 'PAYLOAD_TOO_LARGE';
  if (file.size === 0) return 'UNSUPPORTED_FILE';
  if (file.type && !(PICTURE_TYPES as readonly string[]).includes(file.type)) return 'UNSUPPORTED_FILE';
  return null;
}
