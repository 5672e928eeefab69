import { initTRPC } from '@trpc/server';
import { DependencyUnavailableError } from '../ports/dependency.ts';
import type { Context } from './context.ts';
import { AppError, describeError, serviceUnavailable } from './errors.ts';

const t = initTRPC.context<Context>().create({
  // Never send stacks to clients, whatever NODE_ENV says.
  isDev: false,
  errorFormatter: ({ shape, error }) => {
    const { message, data } = describeError(error);
    return { ...shape, message, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, ...data } };
  },
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

/** Logs each call once; a dependency that is busy or down answers SERVICE_UNAVAILABLE rather than INTERNAL. */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const log = ctx.deps.logger;
  if (!result.ok && result.error.cause instanceof DependencyUnavailableError) {
    log.warn({ path, type, ms, dependency: result.error.cause.dependency, err: result.error.cause.cause }, 'dependency unavailable');
    throw serviceUnavailable();
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
