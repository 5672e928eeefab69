import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
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

/**
 * Logs each call once, and maps what services throw to tRPC's errors, once: an AppError by its appCode; a dependency
 * that is busy or down as SERVICE_UNAVAILABLE rather than INTERNAL.
 */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const log = ctx.deps.logger;
  const cause = result.ok ? undefined : result.error.cause;
  if (cause instanceof DependencyUnavailableError) {
    log.warn({ path, type, ms, dependency: cause.dependency, err: cause.cause }, 'dependency unavailable');
    throw toTRPCError(serviceUnavailable());
  }
  if (cause instanceof AppError) {
    // Not `code`: the logger redacts fields of that name (verification codes).
    log.info({ path, type, ms, error: cause.appCode }, 'call refused');
    throw toTRPCError(cause);
  }
  if (result.ok) {
    log.debug({ path, type, ms, transport: ctx.request.transport }, 'call');
  } else if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    log.error({ path, type, ms, err: result.error.cause ?? result.error }, 'call failed');
  } else {
    // Not `code`: the logger redacts fields of that name (verification codes).
    log.info({ path, type, ms, error: result.error.code }, 'call refused');
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(observed);

/** Procedures for signed-in users: `ctx.auth` is the verified access token. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth) throw new AppError('UNAUTHORIZED', 'Please sign in.');
  return next({ ctx: { auth: ctx.auth } });
});
