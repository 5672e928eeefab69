import {
  loginInput,
  refreshInput,
  resendCodeInput,
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
    const issued = await ctx.deps.services.auth.verifyEmail(input, ctx.request.ip);
    return deliver(ctx, issued, input.session);
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const issued = await ctx.deps.services.auth.login(input, ctx.request.ip);
    return deliver(ctx, issued, input.session);
  }),

  refresh: publicProcedure.input(refreshInput).mutation(async ({ ctx, input }) => {
    const fromBody = input.refreshToken;
    if (!fromBody) assertOwnOrigin(ctx);
    const issued = await ctx.deps.services.auth
      .refresh(fromBody ?? readRefreshCookie(ctx), ctx.request.ip)
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
    return { ok: true as const };
  }),

  me: authedProcedure.query(({ ctx }) => ctx.deps.services.auth.me(ctx.auth)),
});
