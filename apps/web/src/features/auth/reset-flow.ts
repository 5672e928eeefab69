/**
 * Where a password reset stands. First the email; once a code is on its way, the code and the new password, for
 * that email. The API answers "sent" whether or not the email has an account, so this never knows either.
 */
export type ResetFlow =
  | { step: 'email' }
  | {
      step: 'code';
      /** As the person typed it, trimmed: what the code screen shows and sends. */
      email: string;
      /** When the last code was asked for (this device's clock), for the wait before another. */
      sentAt: number;
      /** A second (or later) code was asked for on the code screen. */
      resent: boolean;
    };

export type ResetEvent = { type: 'code-sent'; email: string; at: number } | { type: 'change-email' };

export const RESET_START: ResetFlow = { step: 'email' };

export function resetFlow(state: ResetFlow, event: ResetEvent): ResetFlow {
  switch (event.type) {
    case 'code-sent':
      return { step: 'code', email: event.email.trim(), sentAt: event.at, resent: state.step === 'code' };
    case 'change-email':
      return RESET_START;
  }
}
