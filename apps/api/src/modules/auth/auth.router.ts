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
import { isAllowedOriginOf } from '../../http/origin-policy.ts';
import type { Context } from '../../trpc/context.ts';
import { AppError } from '../../app-error.ts';
import { authedProcedure, publicProcedure, router } from '../../trpc/init.ts';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './auth.cookies.ts';
import type { IssuedSession } from './auth.service.ts';
import type { ClientInfo } from './auth.sessions.ts';

const clientOf = (ctx: Context): ClientInfo => ({ ip: ctx.request.ip, userAgent: ctx.request.userAgent });
const ok = { ok: true as const };

/** `cookie`: the refresh token goes only into the HttpOnly cookie. `token`: it is returned in the body. */
function deliver(ctx: Context, issued: IssuedSession, mode: 'cookie' | 'token'): Session {
  if (mode === 'token') return { ...issued.session, refreshToken: issued.refreshToken };
  if (!ctx.res) throw new AppError('BAD_INPUT', 'Cookie sessions need HTTP; use session: "token" over WebSocket.');
  setRefreshCookie(ctx, issued.refreshToken, Math.floor(ctx.deps.config.refreshTokenTtlMs / 1000));
  return issued.session;
}

/** A cookie rides along automatically, so a cookie-authenticated call must come from one of our pages. */
function assertOwnOrigin(ctx: Context): void {
  const { origin, host } = ctx.request;
  if (!origin || !isAllowedOriginOf(origin, host, ctx.deps.config)) {
    throw new AppError('FORBIDDEN', 'This request must come from the YOUng Chat app.');
  }
}

export const authRouter = router({
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(({ ctx, input }) => ctx.deps.services.auth.signUp(input, ctx.request.ip)),

  resendCode: publicProcedure
    .input(resendCodeInput)
    .mutation(({ ctx, input }) => ctx.deps.services.auth.resendCode(input.email, ctx.request.ip)),

  verifyEmail: publicProcedure.input(verifyEmailInput).mutation(async ({ ctx, input }) => {
    const issued = await ctx.deps.services.auth.verifyEmail(input, clientOf(ctx));
    return deliver(ctx, issued, input.session);
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const issued = await ctx.deps.services.auth.login(input, clientOf(ctx));
    return deliver(ctx, issued, input.session);
  }),

  refresh: publicProcedure.input(refreshInput).mutation(async ({ ctx, input }) => {
    const fromBody = input.refreshToken;
    if (!fromBody) assertOwnOrigin(ctx);
    const issued = await ctx.deps.services.auth
      .refresh(fromBody ?? readRefreshCookie(ctx), clientOf(ctx))
      .catch((error: unknown) => {
        if (!fromBody) clearRefreshCookie(ctx);
        throw error;
      });
    return deliver(ctx, issued, fromBody ? 'token' : 'cookie');
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.request.cookieHeader) assertOwnOrigin(ctx);
    await ctx.deps.services.auth.logout(ctx.auth);
    clearRefreshCookie(ctx);
    return ok;
  }),

  logoutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    if (ctx.request.cookieHeader) assertOwnOrigin(ctx);
    await ctx.deps.services.auth.logoutEverywhere(ctx.auth);
    clearRefreshCookie(ctx);
    return ok;
  }),

  sessions: authedProcedure.query(({ ctx }) => ctx.deps.services.auth.sessions(ctx.auth)),

  revokeSession: authedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
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

  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    const issued = await ctx.deps.services.auth.resetPassword(input, clientOf(ctx));
    return deliver(ctx, issued, input.session);
  }),

  me: authedProcedure.query(({ ctx }) => ctx.deps.services.auth.me(ctx.auth)),
});
