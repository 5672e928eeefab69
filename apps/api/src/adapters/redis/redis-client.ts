import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * While Redis is away, a call fails at once (the caller answers SERVICE_UNAVAILABLE with a time to come back)
 * instead of queueing behind reconnect attempts: queued, a cut of a few seconds held requests for 10–15 s. A Redis
 * that accepts and then stalls is given a few seconds per command. ioredis keeps reconnecting meanwhile.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 3_000,
  commandTimeout: 3_000,
};

/**
 * A client that is connected when it is returned (without an offline queue, a call before the first connection
 * would fail), or an error saying Redis could not be reached: the server does not start without it.
 */
export async function connectRedis(
  url: string,
  options: RedisOptions,
  settings: { firstConnectMs?: number; logger?: Logger } = {},
): Promise<Redis> {
  const { firstConnectMs = 15_000, logger } = settings;
  const redis = new Redis(url, { ...FAIL_FAST, ...options });
  let lastError: unknown;
  // ioredis reconnects on its own, and reports every failed try: the log says when an outage starts and ends. Calls
  // made meanwhile fail and say so, and /healthz reports the outage.
  redis.on('error', (error: unknown) => {
    if (lastError === undefined) logger?.warn({ err: error }, 'Redis unreachable; calls fail until it is back');
    lastError = error;
  });
  redis.on('ready', () => {
    if (lastError !== undefined) logger?.info('Redis is back');
    lastError = undefined;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis at ${new URL(url).host} did not answer in ${firstConnectMs / 1000} s`, { cause: lastError })), firstConnectMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}
