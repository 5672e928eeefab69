import type { RateLimitRule } from '../../ports/rate-limiter.ts';

/**
 * Brute force is stopped per (account, IP) pair and per IP. There is deliberately no per-account cap: an
 * attacker could use it to lock the owner out, and the owner must still get in from their own device.
 */
export const AUTH_RATE_RULES = {
  /** Failed logins for one account from one IP: 5, then a 15-minute pause for that pair only. */
  loginFailuresPerPair: { name: 'login_fail_pair', points: 5, durationSec: 15 * 60, blockSec: 15 * 60 },
  /** Every login attempt from one IP. */
  loginPerIp: { name: 'login_ip', points: 50, durationSec: 15 * 60 },
  signUpPerIp: { name: 'signup_ip', points: 10, durationSec: 60 * 60 },
  signUpPerEmail: { name: 'signup_email', points: 5, durationSec: 60 * 60 },
  resendPerEmail: { name: 'resend_email', points: 3, durationSec: 10 * 60 },
  resendPerIp: { name: 'resend_ip', points: 10, durationSec: 60 * 60 },
  /** Code guesses from one IP, across emails (each pending sign-up also dies after 5 wrong codes). */
  codeGuessesPerIp: { name: 'code_ip', points: 30, durationSec: 60 * 60 },
  refreshPerIp: { name: 'refresh_ip', points: 120, durationSec: 60 },
  resetPerEmail: { name: 'reset_email', points: 3, durationSec: 10 * 60 },
  resetPerIp: { name: 'reset_ip', points: 10, durationSec: 60 * 60 },
  /** Checks of a signed-in person's password (changing it, deleting the account): a stolen session cannot guess it. */
  passwordChecksPerUser: { name: 'password_user', points: 5, durationSec: 15 * 60 },
} satisfies Record<string, RateLimitRule>;
