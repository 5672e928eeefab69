import type { AppCode } from '@youngchat/shared';

/**
 * The one error type services throw: a reason from the shared list (`appCode`), words for people, and facts the
 * client can act on. It knows nothing of any transport; trpc/errors.ts maps it to tRPC's codes and HTTP statuses,
 * once, at the edge.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly appCode: AppCode,
    message: string = appCode,
    /** Extra facts for the client, e.g. how long to wait after RATE_LIMITED. */
    readonly details: { retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

/**
 * A dependency was busy or down: the call was fine, the moment was not. The suggested wait is spread between 1 and
 * 2 s so that clients turned away together do not all come back together.
 */
export function serviceUnavailable(): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'We are very busy right now. Please try again in a moment.', {
    retryAfterMs: 1_000 + Math.floor(Math.random() * 1_000),
  });
}
