import { describe, expect, it } from 'vitest';
import { systemTicksInput } from './system.ts';
import { isAppCode } from '../error-codes.ts';

describe('systemTicksInput', () => {
  it('defaults the interval and accepts a resume id', () => {
    expect(systemTicksInput.parse({ lastEventId: '7' })).toEqual({ lastEventId: '7', intervalMs: 1000 });
  });

  it('refuses intervals that would flood or starve a socket', () => {
    expect(systemTicksInput.safeParse({ intervalMs: 1 }).success).toBe(false);
    expect(systemTicksInput.safeParse({ intervalMs: 60_000 }).success).toBe(false);
  });
});

describe('isAppCode', () => {
  it('knows the codes and nothing else', () => {
    expect(isAppCode('FORBIDDEN')).toBe(true);
    expect(isAppCode('forbidden')).toBe(false);
    expect(isAppCode(undefined)).toBe(false);
  });
});
