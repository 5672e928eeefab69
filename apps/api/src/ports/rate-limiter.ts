import type { Dependency } from './dependency.ts';

export interface RateLimitRule {
  /** Distinguishes rules that share a store, e.g. `login_ip`. */
  name: string;
  points: number;
  durationSec: number;
  /** Once exhausted, refuse for this long (0 = until the window ends). */
  blockSec?: number;
}

export type RateLimitVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  consume(key: string): Promise<RateLimitVerdict>;
  /** The verdict a consume would get, without consuming. */
  peek(key: string): Promise<RateLimitVerdict>;
  /** Clears a key, e.g. the failed-login counter after a successful login. */
  reset(key: string): Promise<void>;
}

/** Makes limiters that share one store, so every instance counts the same attempts. */
export interface RateLimiterFactory extends Dependency {
  readonly kind: 'redis' | 'sql' | 'memory';
  create(rule: RateLimitRule): RateLimiter;
}
