import type { Logger } from 'pino';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiterFactory } from '../../ports/rate-limiter.ts';
import { wrapLimiter } from '../rate-limiter/verdict.ts';
import { connectRedis } from './redis-client.ts';

/** rate-limiter-flexible on Redis: counters shared by every instance, each key with a TTL. */
export async function createRedisRateLimiterFactory(options: { url: string; keyPrefix: string; logger?: Logger }): Promise<RateLimiterFactory> {
  // Limits asked in the same tick (a batch of sends) travel in one round trip.
  const redis = await connectRedis(options.url, { keyPrefix: options.keyPrefix, enableAutoPipelining: true }, options);
  return {
    name: 'rateLimiter',
    kind: 'redis',
    create: (rule) =>
      wrapLimiter(
        new RateLimiterRedis({
          storeClient: redis,
          useRedisPackage: false,
          keyPrefix: `rl:${rule.name}`,
          points: rule.points,
          duration: rule.durationSec,
          blockDuration: rule.blockSec ?? 0,
        }),
      ),
    check: async () => {
      await redis.ping();
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
