/**
 * Every error the API returns carries one of these in `data.appCode`.
 * The UI switches on the code, never on the message.
 */
export const APP_CODES = [
  'BAD_INPUT',
  /** Wrong email or password (the same answer for an unknown email). */
  'INVALID_CREDENTIALS',
  /** Wrong, expired, used or killed verification code (the same answer for each). */
  'INVALID_CODE',
  /** The password is on the list of commonly used passwords. */
  'PASSWORD_TOO_COMMON',
  /** The refresh token is missing, expired, reused or revoked: sign in again. */
  'SESSION_EXPIRED',
  /** An upload that is not a PNG, JPEG, WebP or GIF image (SVG and documents included). */
  'UNSUPPORTED_FILE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  /** You blocked this person: unblock them to talk again. */
  'BLOCKED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  /** More connections or subscriptions than one person or address may hold; the oldest gave way or this was refused. */
  'TOO_MANY_CONNECTIONS',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type AppCode = (typeof APP_CODES)[number];

export function isAppCode(value: unknown): value is AppCode {
  return typeof value === 'string' && (APP_CODES as readonly string[]).includes(value);
}

/** WebSocket close code for "your session ended" (logout, expired token): reconnect with a fresh token or sign in. */
export const SESSION_ENDED_CLOSE_CODE = 4401;

/**
 * WebSocket close code for "this account opened more connections than it may; this, the oldest, gave way": the app
 * is open in another tab or device. Do not reconnect by yourself (that would push out another), offer to.
 */
export const CONNECTION_REPLACED_CLOSE_CODE = 4409;

/** WebSocket close code for "too many connections from your network": reconnect later, with backoff. */
export const TOO_MANY_CONNECTIONS_CLOSE_CODE = 4429;
