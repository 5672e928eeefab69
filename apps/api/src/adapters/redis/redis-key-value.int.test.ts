import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyValueContract } from '../../../test/contracts/key-value.contract.ts';
import { rateLimiterContract } from '../../../test/contracts/rate-limiter.contract.ts';
import { SERVICES, describeWithServices, uniqueName } from '../../../test/services.ts';
import { DependencyUnavailableError } from '../../ports/dependency.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import { proxyInFrontOf, throughProxy } from '../../../test/tcp-proxy.ts';
import { until } from '../../../test/wait.ts';
import { createRedisKeyValue } from './redis-key-value.ts';
import { createRedisRateLimiterFactory } from './redis-rate-limiter.ts';

await describeWithServices('Redis key-value store', ['redis'], () => {
  const keyPrefix = `${uniqueName('yc_test')}:`;
  let kv: KeyValueStore;
  let raw: Redis;

  beforeAll(async () => {
    kv = await createRedisKeyValue({ url: SERVICES.redis, keyPrefix });
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
    let factory: Awaited<ReturnType<typeof createRedisRateLimiterFactory>>;
    beforeAll(async () => {
      factory = await createRedisRateLimiterFactory({ url: SERVICES.redis, keyPrefix });
    });
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

  it('refuses to open when Redis cannot be reached, saying so', async () => {
    await expect(createRedisKeyValue({ url: 'redis://127.0.0.1:1', keyPrefix, firstConnectMs: 500 })).rejects.toThrow(/did not answer/);
  });

  it('fails a call at once with DependencyUnavailableError while Redis is away, and serves again when it is back', async () => {
    const proxy = await proxyInFrontOf(SERVICES.redis);
    const viaProxy = await createRedisKeyValue({ url: throughProxy(SERVICES.redis, proxy), keyPrefix });
    try {
      await viaProxy.set('through', '1', 60_000);
      proxy.cut();
      const started = Date.now();
      await expect(viaProxy.get('through')).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(Date.now() - started).toBeLessThan(3_500);
      proxy.restore();
      await until(async () => (await viaProxy.get('through').catch(() => null)) === '1', 10_000);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });
});
