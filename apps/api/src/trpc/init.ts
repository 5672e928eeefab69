import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Logger } from 'pino';
import { AppError, serviceUnavailable } from '../app-error.ts';
import { DependencyUnavailableError } from '../ports/dependency.ts';
import type { Context } from './context.ts';
import { describeError, toTRPCError } from './errors.ts';

const t = initTRPC.context<Context>().create({
  // Never send stacks to clients, whatever NODE_ENV says.
  isDev: false,
  errorFormatter: ({ shape, error }) => {
    // tRPC wraps an AppError thrown midway through a stream as INTERNAL: the code follows the appCode here too.
    const { message, data, code } = describeError(error);
    const httpStatus = getHTTPStatusCodeFromError(new TRPCError({ code }));
    return { ...shape, code: TRPC_ERROR_CODES_BY_KEY[code], message, data: { code, httpStatus, path: shape.data.path, ...data } };
  },
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

/** A call as the log shows it. */
interface CallLine {
  path: string;
  type: string;
  ms: number;
}

/**
 * A failed call as it is answered, logged once: what a service threw mapped to tRPC's error — an AppError by its
 * appCode; a dependency that is busy or down as SERVICE_UNAVAILABLE rather than INTERNAL.
 */
export function answerFailure(log: Logger, call: CallLine, error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof DependencyUnavailableError) {
    log.warn({ ...call, dependency: cause.dependency, err: cause.cause }, 'dependency unavailable');
    return toTRPCError(serviceUnavailable());
  }
  // Not `code` below: the logger redacts fields of that name (verification codes).
  if (cause instanceof AppError) {
    log.info({ ...call, error: cause.appCode }, 'call refused');
    return toTRPCError(cause);
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ ...call, err: error.cause ?? error }, 'call failed');
  else log.info({ ...call, error: error.code }, 'call refused');
  return error;
}

/** Milliseconds since `started`, to a tenth. */
export const msSince = (started: number) => Math.round((performance.now() - started) * 10) / 10;

/** Logs each call once, and answers its failure as answerFailure says. */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const call = { path, type, ms: msSince(started) };
  if (!result.ok) throw answerFailure(ctx.deps.logger, call, result.error);
  ctx.deps.logger.debug({ ...call, transport: ctx.request.transport }, 'call');
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(observed);

/** Procedures for signed-in users: `ctx.auth` is the verified access token. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth) throw new AppError('UNAUTHORIZED', 'Please sign in.');
  return next({ ctx: { auth: ctx.auth } });
});
