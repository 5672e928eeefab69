import { LIMITS } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { checkPicture } from './picture-check.ts';

describe('checkPicture', () => {
  it('lets photos through', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/webp', 'image/gif', '']) {
      expect(checkPicture({ size: 1000, type }), type).toBeNull();
    }
  });

  it('refuses SVG, documents and empty files as unsupported', () => {
    expect(checkPicture({ size: 1000, type: 'image/svg+xml' })).toBe('UNSUPPORTED_FILE');
    expect(checkPicture({ size: 1000, type: 'application/pdf' })).toBe('UNSUPPORTED_FILE');
    expect(checkPicture({ size: 0, type: 'image/png' })).toBe('UNSUPPORTED_FILE');
  });

  it('refuses a file over the size limit before uploading it', () => {
    expect(checkPicture({ size: LIMITS.avatar.maxBytes, type: 'image/png' })).toBeNull();
    expect(checkPicture({ size: LIMITS.avatar.maxBytes + 1, type: 'image/png' })).toBe('PAYLOAD_TOO_LARGE');
  });
});
