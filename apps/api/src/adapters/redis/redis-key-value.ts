import { Redis } from 'ioredis';
import type { KeyValueStore } from '../../ports/key-value.ts';

// INCR then set the expiry only on a new counter, atomically, so a counter can never lose its TTL.
const INCREMENT_WITH_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

export function createRedisKeyValue(options: { url: string; keyPrefix: string }): KeyValueStore {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  // ioredis reconnects on its own; without a listener an outage would be an unhandled 'error' event.
  redis.on('error', () => {});

  return {
    name: 'keyValue',
    kind: 'redis',
    get: (key) => redis.get(key),
    async set(key, value, ttlMs) {
      await redis.set(key, value, 'PX', ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
    },
    take: (key) => redis.getdel(key),
    async delete(key) {
      return (await redis.del(key)) > 0;
    },
    async increment(key, ttlMs) {
      return Number(await redis.eval(INCREMENT_WITH_TTL, 1, key, ttlMs));
    },
    async ttlMs(key) {
      const ttl = await redis.pttl(key);
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
