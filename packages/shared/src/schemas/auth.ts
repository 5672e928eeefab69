import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { CONTROL_CHARS_MESSAGE, hasNoControlChars, isPlainLine, uuidSchema } from './text.ts';

/** Trimmed and lower-cased, so one mailbox is one account whatever the capitalisation. */
export const emailSchema = z
  .string()
  .trim()
  .max(LIMITS.email.max)
  .pipe(z.email())
  .transform((email) => email.toLowerCase());

/** Length only: no composition rules (NIST SP 800-63B, ASVS 5.0); common passwords are refused by the API. */
export const passwordSchema = z.string().min(LIMITS.password.min).max(LIMITS.password.max).refine(hasNoControlChars, CONTROL_CHARS_MESSAGE);

export const nicknameSchema = z
  .string()
  .trim()
  .min(LIMITS.nickname.min)
  .max(LIMITS.nickname.max)
  .refine(isPlainLine, CONTROL_CHARS_MESSAGE);

export const codeSchema = z
  .string()
  .trim()
  .regex(new RegExp(`^\\d{${LIMITS.code.length}}$`), `must be ${LIMITS.code.length} digits`);

/**
 * `cookie` (default, for the SPA): the refresh token travels only in an HttpOnly cookie.
 * `token` (typed non-browser clients): the refresh token is returned in the body.
 */
export const sessionModeSchema = z.enum(['cookie', 'token']).default('cookie');

export const signUpInput = z.object({ email: emailSchema, password: passwordSchema, nickname: nicknameSchema });
export const verifyEmailInput = z.object({ email: emailSchema, code: codeSchema, session: sessionModeSchema });
export const resendCodeInput = z.object({ email: emailSchema });
export const loginInput = z.object({ email: emailSchema, password: z.string().min(1).max(LIMITS.password.max).refine(hasNoControlChars, CONTROL_CHARS_MESSAGE), session: sessionModeSchema });
export const refreshInput = z
  .object({ refreshToken: z.string().regex(/^[\w-]{1,200}$/, 'not a refresh token').optional() })
  .optional()
  .transform((v) => v ?? {});

export const requestPasswordResetInput = z.object({ email: emailSchema });
export const resetPasswordInput = z.object({ email: emailSchema, code: codeSchema, newPassword: passwordSchema, session: sessionModeSchema });
export const changePasswordInput = z.object({
  currentPassword: z.string().min(1).max(LIMITS.password.max).refine(hasNoControlChars, CONTROL_CHARS_MESSAGE),
  newPassword: passwordSchema,
});
export const revokeSessionInput = z.object({ sessionId: uuidSchema });
export const accountDeleteInput = z.object({ password: z.string().min(1).max(LIMITS.password.max).refine(hasNoControlChars, CONTROL_CHARS_MESSAGE) });

export type SignUpInput = z.input<typeof signUpInput>;
export type VerifyEmailInput = z.input<typeof verifyEmailInput>;
export type LoginInput = z.input<typeof loginInput>;

export interface User {
  id: string;
  /** Only in answers about yourself. */
  email?: string;
  /** Empty once the account is deleted. */
  nickname: string;
  statusMessage: string;
  avatarUrl: string | null;
  /** The account was deleted; their messages stay, shown as from a deleted user. */
  deleted?: true;
}

/** One signed-in device, as `auth.sessions` lists it. */
export interface SessionInfo {
  id: string;
  /** The device asking. */
  current: boolean;
  userAgent: string;
  /** Approximate: the start of the address it last signed in or renewed from (e.g. "203.0.113.*"), or null. */
  place: string | null;
  createdAt: string;
  lastActiveAt: string;
}

/** `account.export`: what the service holds of the person. */
export interface AccountExport {
  exportedAt: string;
  profile: User & { createdAt: string };
  rooms: { id: string; kind: 'direct' | 'group'; name: string; memberNicknames: string[] }[];
  messages: { id: string; roomId: string; seq: number; body: string; createdAt: string; editedAt: string | null; deletedAt: string | null }[];
}

export interface Session {
  user: User;
  accessToken: string;
  accessTokenExpiresAt: string;
  /** Only with `session: 'token'`. */
  refreshToken?: string;
}

/** What sign-up and resend answer, whether or not the email already has an account. */
export interface CodeSentAnswer {
  ok: true;
  codeTtlSeconds: number;
}
