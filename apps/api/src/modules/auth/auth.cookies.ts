import { parse, serialize } from 'cookie';
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

export function clearRefreshCookie(ctx: Context): void {
  appendCookie(ctx, serialize(NAME, '', { ...BASE, secure: isHttps(ctx), maxAge: 0 }));
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
