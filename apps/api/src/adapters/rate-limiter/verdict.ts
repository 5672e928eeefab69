import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DependencyUnavailableError } from '../../ports/dependency.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';

/** A limiter whose store does not answer cannot give a verdict: the caller is told to come back, never let in. */
const storeFailed = (error: unknown): never => {
  throw error instanceof DependencyUnavailableError ? error : new DependencyUnavailableError('rateLimiter', { cause: error });
};

/** The library's verdicts in our port's words. */
export function wrapLimiter(limiter: RateLimiterAbstract): RateLimiter {
  return {
    async consume(key) {
      try {
        const res = await limiter.consume(key);
        return { allowed: true, remaining: res.remainingPoints };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
        return storeFailed(rejection);
      }
    },
    async peek(key) {
      const res = await limiter.get(key).catch(storeFailed);
      if (!res) return { allowed: true, remaining: limiter.points };
      // A consume is refused once `points` have been consumed in the window (or while blocked).
      return res.consumedPoints >= limiter.points && res.msBeforeNext > 0
        ? { allowed: false, retryAfterMs: res.msBeforeNext }
        : { allowed: true, remaining: Math.max(res.remainingPoints, 0) };
    },
    async reset(key) {
      await limiter.delete(key).catch(storeFailed);
    },
  };
}
