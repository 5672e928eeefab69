import {
  changePasswordInput,
  loginInput,
  refreshInput,
  requestPasswordResetInput,
  resendCodeInput,
  resetPasswordInput,
  revokeSessionInput,
  signUpInput,
  verifyEmailInput,
  type Session,
} from '@youngchat/shared';
import type { Context } from '../../trpc/context.ts';
import { authedProcedure, publicProcedure, router } from '../../trpc/init.ts';
import {
  assertOwnOrigin,
  beforeEndingCookieSession,
  clearRefreshCookie,
  readRefreshCookie,
  requireCookieWritable,
  setRefreshCookie,
} from './auth.cookies.ts';
import type { IssuedSession } from './auth.service.ts';
import type { ClientInfo } from './auth.sessions.ts';

const clientOf = (ctx: Context): ClientInfo => ({ ip: ctx.request.ip, userAgent: ctx.request.userAgent });
const ok = { ok: true as const };

/**
 * Starts a session and hands it over. `cookie`: the refresh token goes only into the HttpOnly cookie (checked
 * writable before anything starts). `token`: it is returned in the body.
 */
async function issue(ctx: Context, mode: 'cookie' | 'token', start: () => Promise<IssuedSession>): Promise<Session> {
  if (mode === 'cookie') requireCookieWritable(ctx);
  const issued = await start();
  if (mode === 'token') return { ...issued.session, refreshToken: issued.refreshToken };
  setRefreshCookie(ctx, issued.refreshToken, Math.floor(ctx.deps.config.refreshTokenTtlMs / 1000));
  return issued.session;
}

export const authRouter = router({
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(({ ctx, input }) => ctx.deps.services.auth.signUp(input, ctx.request.ip)),

  resendCode: publicProcedure
    .input(resendCodeInput)
    .mutation(({ ctx, input }) => ctx.deps.services.auth.resendCode(input.email, ctx.request.ip)),

  verifyEmail: publicProcedure
    .input(verifyEmailInput)
    .mutation(({ ctx, input }) => issue(ctx, input.session, () => ctx.deps.services.auth.verifyEmail(input, clientOf(ctx)))),

  login: publicProcedure
    .input(loginInput)
    .mutation(({ ctx, input }) => issue(ctx, input.session, () => ctx.deps.services.auth.login(input, clientOf(ctx)))),

  refresh: publicProcedure.input(refreshInput).mutation(({ ctx, input }) => {
    const fromBody = input.refreshToken;
    if (!fromBody) assertOwnOrigin(ctx);
    return issue(ctx, fromBody ? 'token' : 'cookie', () =>
      ctx.deps.services.auth.refresh(fromBody ?? readRefreshCookie(ctx), clientOf(ctx)).catch((error: unknown) => {
        if (!fromBody) clearRefreshCookie(ctx);
        throw error;
      }),
    );
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    beforeEndingCookieSession(ctx);
    await ctx.deps.services.auth.logout(ctx.auth);
    clearRefreshCookie(ctx);
    return ok;
  }),

  logoutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    beforeEndingCookieSession(ctx);
    await ctx.deps.services.auth.logoutEverywhere(ctx.auth);
    clearRefreshCookie(ctx);
    return ok;
  }),

  sessions: authedProcedure.query(({ ctx }) => ctx.deps.services.auth.sessions(ctx.auth)),

  revokeSession: authedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
    if (input.sessionId === ctx.auth.sessionId) beforeEndingCookieSession(ctx);
    await ctx.deps.services.auth.revokeSession(ctx.auth, input.sessionId);
    if (input.sessionId === ctx.auth.sessionId) clearRefreshCookie(ctx);
    return ok;
  }),

  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.services.auth.changePassword(ctx.auth, input);
    return ok;
  }),

  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .mutation(({ ctx, input }) => ctx.deps.services.auth.requestPasswordReset(input.email, ctx.request.ip)),

  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .mutation(({ ctx, input }) => issue(ctx, input.session, () => ctx.deps.services.auth.resetPassword(input, clientOf(ctx)))),

  me: authedProcedure.query(({ ctx }) => ctx.deps.services.auth.me(ctx.auth)),
});
