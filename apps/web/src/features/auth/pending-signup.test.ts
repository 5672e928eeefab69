import { describe, expect, it } from 'vitest';
import { cooldownSecondsLeft, RESEND_COOLDOWN_MS } from './pending-signup.ts';

describe('cooldownSecondsLeft', () => {
  it('counts down whole seconds, rounded up, and stops at zero', () => {
    expect(cooldownSecondsLeft(0, 0)).toBe(RESEND_COOLDOWN_MS / 1000);
    expect(cooldownSecondsLeft(0, 100)).toBe(30);
    expect(cooldownSecondsLeft(0, 29_001)).toBe(1);
    expect(cooldownSecondsLeft(0, 30_000)).toBe(0);
    expect(cooldownSecondsLeft(0, 99_000)).toBe(0);
  });
});
