import { describe, expect, it } from 'vitest';
import { isAppCode } from '../error-codes.ts';

describe('isAppCode', () => {
  it('knows the codes and nothing else', () => {
    expect(isAppCode('FORBIDDEN')).toBe(true);
    expect(isAppCode('forbidden')).toBe(false);
    expect(isAppCode(undefined)).toBe(false);
  });
});
