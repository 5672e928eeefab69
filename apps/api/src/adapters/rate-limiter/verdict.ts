import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimiter } from '../../ports/rate-limiter.ts';

/** The library's verdicts in our port's words. */
export function wrapLimiter(limiter: RateLimiterAbstract): RateLimiter {
  return {
    async consume(key) {
      try {
        const res = await limiter.consume(key);
        return { allowed: true, remaining: res.remainingPoints };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
        throw rejection; // the store failed: not a verdict
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (!res) return { allowed: true, remaining: limiter.points };
      // A consume is refused once `points` have been consumed in the window (or while blocked).
      return res.consumedPoints >= limiter.points && res.msBeforeNext > 0
        ? { allowed: false, retryAfterMs: res.msBeforeNext }
        : { allowed: true, remaining: Math.max(res.remainingPoints, 0) };
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
