import { ReplyError } from 'ioredis';
import type { Logger } from 'pino';
import { DependencyUnavailableError } from '../../ports/dependency.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import { connectRedis } from './redis-client.ts';

// INCR then set the expiry only on a new counter, atomically, so a counter can never lose its TTL.
const INCREMENT_WITH_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export async function createRedisKeyValue(options: { url: string; keyPrefix: string; firstConnectMs?: number; logger?: Logger }): Promise<KeyValueStore> {
  const redis = await connectRedis(options.url, { keyPrefix: options.keyPrefix }, options);

  /** Redis refusing a command is a bug; Redis not answering (closed, refused, retries used up) is an outage. */
  const reach = <T>(command: Promise<T>): Promise<T> =>
    command.catch((error: unknown) => {
      throw error instanceof ReplyError ? error : new DependencyUnavailableError('keyValue', { cause: error });
    });

  return {
    name: 'keyValue',
    kind: 'redis',
    get: (key) => reach(redis.get(key)),
    async set(key, value, ttlMs) {
      await reach(redis.set(key, value, 'PX', ttlMs));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await reach(redis.set(key, value, 'PX', ttlMs, 'NX'))) === 'OK';
    },
    take: (key) => reach(redis.getdel(key)),
    async delete(key) {
      return (await reach(redis.del(key))) > 0;
    },
    async increment(key, ttlMs) {
      return Number(await reach(redis.eval(INCREMENT_WITH_TTL, 1, key, ttlMs)));
    },
    async ttlMs(key) {
      const ttl = await reach(redis.pttl(key));
      return ttl < 0 ? null : ttl;
    },
    check: async () => {
      await redis.ping();
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
