import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyValueContract } from '../../../test/contracts/key-value.contract.ts';
import { rateLimiterContract } from '../../../test/contracts/rate-limiter.contract.ts';
import { SERVICES, describeWithServices, uniqueName } from '../../../test/services.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import { createRedisKeyValue } from './redis-key-value.ts';
import { createRedisRateLimiterFactory } from './redis-rate-limiter.ts';

await describeWithServices('Redis key-value store', ['redis'], () => {
  const keyPrefix = `${uniqueName('yc_test')}:`;
  let kv: KeyValueStore;
  let raw: Redis;

  beforeAll(() => {
    kv = createRedisKeyValue({ url: SERVICES.redis, keyPrefix });
    raw = new Redis(SERVICES.redis);
  });
  afterAll(async () => {
    const leftovers = await raw.keys(`${keyPrefix}*`);
    if (leftovers.length > 0) await raw.del(...leftovers);
    await raw.quit();
    await kv.close();
  });

  keyValueContract(() => kv);

  describe('rate limiter', () => {
    const factory = createRedisRateLimiterFactory({ url: SERVICES.redis, keyPrefix });
    afterAll(() => factory.close());
    rateLimiterContract(() => factory);
  });

  it('writes only under its prefix, and every key it writes has a TTL', async () => {
    await kv.set('a', '1', 60_000);
    await kv.setIfAbsent('b', '1', 60_000);
    await kv.increment('c', 60_000);
    const keys = await raw.keys(`${keyPrefix}*`);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) expect(await raw.pttl(key), key).toBeGreaterThan(0);
    expect(await raw.exists('a')).toBe(0);
  });

  it('check() rejects when Redis cannot be reached', async () => {
    const unreachable = createRedisKeyValue({ url: 'redis://127.0.0.1:1', keyPrefix });
    await expect(unreachable.check()).rejects.toThrow();
    await unreachable.close();
  });
});
