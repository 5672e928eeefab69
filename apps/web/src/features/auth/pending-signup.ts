/**
 * The email waiting for its code, and when the last code was sent, kept for this tab only (sessionStorage) so a
 * reload of the code page still knows where the code went. An email address, never a password or the code.
 */
const KEY = 'youngchat.pendingSignUp';

/** Wait between "Send a new code" presses; the API's own limit (3 per 10 minutes) still applies. */
export const RESEND_COOLDOWN_MS = 30_000;

export interface PendingSignUp {
  email: string;
  sentAt: number;
}

export function readPendingSignUp(): PendingSignUp | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const value = raw ? (JSON.parse(raw) as Partial<PendingSignUp>) : null;
    return typeof value?.email === 'string' && typeof value.sentAt === 'number'
      ? { email: value.email, sentAt: value.sentAt }
      : null;
  } catch {
    return null;
  }
}

export function savePendingSignUp(pending: PendingSignUp): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(pending));
  } catch {
    // storage disabled: the code page asks for the email again
  }
}

export function clearPendingSignUp(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // nothing to clear
  }
}

/** Whole seconds until another code may be requested; 0 when it may be now. */
export function cooldownSecondsLeft(sentAt: number, now: number, cooldownMs = RESEND_COOLDOWN_MS): number {
  return Math.max(0, Math.ceil((sentAt + cooldownMs - now) / 1000));
}
