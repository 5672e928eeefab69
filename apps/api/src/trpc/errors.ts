import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { AppCode } from '@youngchat/shared';
import { ZodError } from 'zod';
import { AppError } from '../app-error.ts';

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

/** The edge's one mapping of a domain error to tRPC's error, which decides the HTTP status. */
export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE_BY_APP_CODE[error.appCode], message: error.message, cause: error });
}

/** The AppError behind a tRPC error: thrown as one by the edge, or wrapped by tRPC (a stream that failed midway). */
function appErrorOf(error: TRPCError): AppError | undefined {
  return error.cause instanceof AppError ? error.cause : undefined;
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
 * The shape every client sees in `error.data`, and the tRPC code that goes with it. Internal errors are reduced to a generic message:
 * no stack, no SQL, no library text ever reaches a client.
 */
export function describeError(error: TRPCError): { message: string; data: AppErrorData; code: TRPC_ERROR_CODE_KEY } {
  const app = appErrorOf(error);
  if (app) return { message: app.message, data: { appCode: app.appCode, ...app.details }, code: TRPC_CODE_BY_APP_CODE[app.appCode] };
  const cause = error.cause;
  if (cause instanceof ZodError) {
    return {
      message: 'Some fields are not valid.',
      code: 'BAD_REQUEST',
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
    code: error.code,
  };
}
