import { describe, expect, it } from 'vitest';
import { RESET_START, resetFlow } from './reset-flow.ts';

describe('resetFlow', () => {
  it('moves to the code step for the email the code went to', () => {
    expect(resetFlow(RESET_START, { type: 'code-sent', email: '  ann@example.com ', at: 1_000 })).toEqual({
      step: 'code',
      email: 'ann@example.com',
      sentAt: 1_000,
      resent: false,
    });
  });

  it('a new code from the code step restarts the wait and says a new one went out', () => {
    const first = resetFlow(RESET_START, { type: 'code-sent', email: 'ann@example.com', at: 1_000 });
    expect(resetFlow(first, { type: 'code-sent', email: 'ann@example.com', at: 40_000 })).toEqual({
      step: 'code',
      email: 'ann@example.com',
      sentAt: 40_000,
      resent: true,
    });
  });

  it('goes back to the email step to use another address, and starts over from there', () => {
    const sent = resetFlow(RESET_START, { type: 'code-sent', email: 'ann@example.com', at: 1_000 });
    const back = resetFlow(sent, { type: 'change-email' });
    expect(back).toEqual({ step: 'email' });
    expect(resetFlow(back, { type: 'code-sent', email: 'bo@example.com', at: 2_000 })).toMatchObject({ email: 'bo@example.com', resent: false });
  });
});
