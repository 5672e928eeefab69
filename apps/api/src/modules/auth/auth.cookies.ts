import { parse, serialize } from 'cookie';
import { AppError } from '../../app-error.ts';
import { isAllowedOriginOf } from '../../http/origin-policy.ts';
import type { Context } from '../../trpc/context.ts';

const NAME = 'yc_rt';
// Sent only to the tRPC endpoint, never readable by scripts, never on cross-site requests.
const BASE = { httpOnly: true, sameSite: 'strict', path: '/trpc' } as const;

export function readRefreshCookie(ctx: Context): string | undefined {
  return ctx.request.cookieHeader ? parse(ctx.request.cookieHeader)[NAME] : undefined;
}

export function setRefreshCookie(ctx: Context, token: string, maxAgeSec: number): void {
  appendCookie(ctx, serialize(NAME, token, { ...BASE, secure: isHttps(ctx), maxAge: maxAgeSec }));
}

/** Only when the request carries one: a token-mode client has nothing to clear (and may stream its calls). */
export function clearRefreshCookie(ctx: Context): void {
  if (readRefreshCookie(ctx) !== undefined) appendCookie(ctx, serialize(NAME, '', { ...BASE, secure: isHttps(ctx), maxAge: 0 }));
}

/**
 * Call before a change whose answer sets or clears the cookie: a WebSocket has no headers, and a streamed batch
 * (httpBatchStreamLink) has sent its headers before its calls run. Refused up front, nothing has changed yet.
 */
export function requireCookieWritable(ctx: Context): void {
  if (!ctx.res || ctx.request.streamed) {
    throw new AppError('BAD_INPUT', 'Cookie sessions need a plain HTTP call (not a WebSocket, not a streamed batch); or use session: "token".');
  }
}

function isHttps(ctx: Context): boolean {
  return ctx.deps.config.publicUrl?.startsWith('https:') ?? false;
}

function appendCookie(ctx: Context, cookie: string): void {
  const res = ctx.res;
  if (!res) return;
  const existing = res.getHeader('Set-Cookie');
  res.setHeader('Set-Cookie', [...(Array.isArray(existing) ? existing : existing ? [String(existing)] : []), cookie]);
}

/**
 * Before a change that ends this device's sign-in: a cookie-authenticated call must come from our pages, and its
 * answer must be able to clear the cookie.
 */
export function beforeEndingCookieSession(ctx: Context): void {
  if (!ctx.request.cookieHeader) return;
  assertOwnOrigin(ctx);
  if (readRefreshCookie(ctx) !== undefined) requireCookieWritable(ctx);
}

/** A cookie rides along automatically, so a cookie-authenticated call must come from one of our pages. */
export function assertOwnOrigin(ctx: Context): void {
  const { origin, host } = ctx.request;
  if (!origin || !isAllowedOriginOf(origin, host, ctx.deps.config)) {
    throw new AppError('FORBIDDEN', 'This request must come from the YOUng Chat app.');
  }
}
