/**
 * When to renew the access token, and making sure only one renewal runs at a time — across every tab of this
 * browser. Refresh tokens rotate on each use and a token presented twice revokes the whole session (RFC 9700
 * reuse detection), so two tabs refreshing at once would sign the person out everywhere.
 */

/** Renew this long before expiry at most (a fifth of the lifetime for short-lived tokens). */
export const REFRESH_LEAD_MS = 60_000;
/** Never sooner than this after receiving a token: a wrong clock must not turn into a refresh loop. */
export const MIN_REFRESH_DELAY_MS = 5_000;
/** setTimeout fires at once for delays above 2^31−1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TokenTiming {
  /** accessTokenExpiresAt, in this device's clock as parsed (ms since epoch). */
  expiresAt: number;
  /** When this tab received the token (this device's clock). */
  receivedAt: number;
  /** exp − iat from the token itself, when readable: immune to this device's clock being wrong. */
  lifetimeMs?: number | null;
}

/**
 * How long to wait before renewing. The lifetime comes from the token's own iat/exp when possible and is counted
 * from when we received it, so a device clock that is minutes off does not make every token look expired.
 */
export function refreshDelayMs(timing: TokenTiming, now: number): number {
  const lifetime =
    timing.lifetimeMs != null && timing.lifetimeMs > 0 ? timing.lifetimeMs : timing.expiresAt - timing.receivedAt;
  const lead = Math.min(REFRESH_LEAD_MS, Math.max(1_000, lifetime / 5));
  const due = timing.receivedAt + lifetime - lead;
  const earliest = timing.receivedAt + MIN_REFRESH_DELAY_MS;
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.max(due, earliest) - now));
}

/** exp − iat of a JWT in ms, read without verifying (the server verifies; we only want the timing). */
export function jwtLifetimeMs(jwt: string): number | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { iat?: unknown; exp?: unknown };
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp <= claims.iat) return null;
    return (claims.exp - claims.iat) * 1000;
  } catch {
    return null;
  }
}

/** The part of the Web Locks API used here (navigator.locks), so tests can pass a fake. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Wraps `task` so that concurrent callers in this tab share one run, and runs in different tabs queue behind a
 * Web Lock. Without Web Locks (insecure origins, old browsers) only the in-tab guarantee remains.
 */
export function singleFlight<T>(
  task: () => Promise<T>,
  locks: LockManagerLike | null | undefined,
  lockName: string,
): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= (locks ? locks.request(lockName, task) : task()).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
