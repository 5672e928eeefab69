import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { AppCode } from '@youngchat/shared';
import { ZodError } from 'zod';

const TRPC_CODE_BY_APP_CODE: Record<AppCode, TRPC_ERROR_CODE_KEY> = {
  BAD_INPUT: 'BAD_REQUEST',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  INVALID_CODE: 'BAD_REQUEST',
  PASSWORD_TOO_COMMON: 'BAD_REQUEST',
  SESSION_EXPIRED: 'UNAUTHORIZED',
  UNSUPPORTED_FILE: 'UNSUPPORTED_MEDIA_TYPE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BLOCKED: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  TOO_MANY_CONNECTIONS: 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/**
 * The one error type services throw. It is a TRPCError, so tRPC answers with the matching HTTP status
 * wherever it is thrown (resolver or middleware); `data.appCode` carries the precise reason.
 */
export class AppError extends TRPCError {
  override name = 'AppError';
  constructor(
    readonly appCode: AppCode,
    message: string = appCode,
    /** Extra facts for the client, e.g. how long to wait after RATE_LIMITED. */
    readonly details: { retryAfterMs?: number } = {},
  ) {
    super({ code: TRPC_CODE_BY_APP_CODE[appCode], message });
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

const APP_CODE_BY_TRPC_CODE: Partial<Record<TRPC_ERROR_CODE_KEY, AppCode>> = {
  PARSE_ERROR: 'BAD_INPUT',
  BAD_REQUEST: 'BAD_INPUT',
  METHOD_NOT_SUPPORTED: 'BAD_INPUT',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_INPUT',
  UNPROCESSABLE_CONTENT: 'BAD_INPUT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

export interface AppErrorData {
  appCode: AppCode;
  /** For BAD_INPUT from schema validation: which fields and why. */
  issues?: { path: string; message: string }[];
  /** For RATE_LIMITED: when trying again can succeed. */
  retryAfterMs?: number;
}

/**
 * The shape every client sees in `error.data`. Internal errors are reduced to a generic message:
 * no stack, no SQL, no library text ever reaches a client.
 */
export function describeError(error: TRPCError): { message: string; data: AppErrorData } {
  if (error instanceof AppError) return { message: error.message, data: { appCode: error.appCode, ...error.details } };
  const cause = error.cause;
  if (cause instanceof ZodError) {
    return {
      message: 'Some fields are not valid.',
      data: {
        appCode: 'BAD_INPUT',
        issues: cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    };
  }
  const appCode = APP_CODE_BY_TRPC_CODE[error.code] ?? 'INTERNAL';
  return {
    message: appCode === 'INTERNAL' ? 'Something went wrong on our side.' : error.message,
    data: { appCode },
  };
}
