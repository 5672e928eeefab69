import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateLimiterFactory } from '../../ports/rate-limiter.ts';
import { wrapLimiter } from '../rate-limiter/verdict.ts';

/**
 * rate-limiter-flexible's in-memory store, for the embedded mode: PGlite belongs to one process, so that process
 * sees every attempt and a send costs no SQL. Counters start afresh when the process restarts.
 */
export function createMemoryRateLimiterFactory(): RateLimiterFactory {
  return {
    name: 'rateLimiter',
    kind: 'memory',
    create: (rule) =>
      wrapLimiter(
        new RateLimiterMemory({
          keyPrefix: rule.name,
          points: rule.points,
          duration: rule.durationSec,
          blockDuration: rule.blockSec ?? 0,
        }),
      ),
    check: async () => {},
    close: async () => {},
  };
}
