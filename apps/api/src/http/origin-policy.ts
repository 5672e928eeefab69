import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Which browser origins may open a WebSocket (and, later, send cookie-authenticated calls):
 * the page's own origin, the configured ones, and in development any loopback origin (the Vite
 * dev server). Requests without an Origin header come from non-browser clients and are allowed:
 * the check exists to stop other sites from riding on a user's browser.
 */
export function isAllowedOrigin(req: IncomingMessage, config: Config): boolean {
  return isAllowedOriginOf(req.headers.origin, req.headers.host, config);
}

export function isAllowedOriginOf(origin: string | undefined, host: string | undefined, config: Config): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (config.allowedOrigins.includes(url.origin)) return true;
  if (host && url.host === host && !config.publicUrl) return true;
  return config.nodeEnv !== 'production' && LOOPBACK_HOSTS.has(url.hostname);
}

/** The client's address: behind a trusted proxy (TRUST_PROXY) the first X-Forwarded-For entry, which nginx sets. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return (trustProxy && first) || req.socket.remoteAddress || 'unknown';
}

/** Whether the request comes from this machine. Behind a proxy every request does, so the forwarded address counts. */
export function isLoopback(req: IncomingMessage, trustProxy: boolean): boolean {
  const address = clientIp(req, trustProxy);
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
