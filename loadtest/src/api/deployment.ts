import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import { Redis } from 'ioredis';
import { undoOnInterrupt } from '../cleanup.ts';
import { API_MAIN, ensureServerBuilt, GC_ON_SIGNAL } from '../paths.ts';
import { spawnServer, watchServers, type RunningServer, type ServerWatch } from '../process-stats.ts';
import type { ResourceSpec } from '../resources.ts';
import { scratchDatabase } from './database.ts';
import type { Database } from './internals.ts';
import { mintAccessTokens } from './sessions.ts';

/** The services the API runs on; each unset one is the API's embedded adapter. */
export interface ServiceUrls {
  /** PostgreSQL server to create the run's database on; unset, PGlite, which belongs to one process. */
  databaseUrl?: string | undefined;
  /** RabbitMQ, with the run's own exchange. */
  amqpUrl?: string | undefined;
  /** Redis, with the run's own key prefix. */
  redisUrl?: string | undefined;
}

export interface DeploymentOptions extends ServiceUrls {
  instances: number;
  /** Write a V8 CPU profile of each instance here (at exit). */
  cpuProfDir?: string | undefined;
  /** Let the generator run a full GC in each instance on SIGUSR2 (see servers/gc-on-signal.mjs). */
  gcOnSignal?: boolean;
}

export interface RunningApi {
  /** One per instance, in start order. */
  ports: number[];
  watch(): ServerWatch;
  /** The instances and the services they run on, for sampling what each used. */
  resources: ResourceSpec;
  stop(): Promise<void>;
}

export interface PreparedApi<T> {
  seeded: T;
  /** Where the database is (DATA_DIR, DATABASE_URL), for a baseline server that reads it too. */
  databaseEnv: Record<string, string>;
  /** What every instance runs with (services, JWT_SECRET, limits), for a deployment started another way (a cluster). */
  env: Record<string, string>;
  /** Starts the instances; PGlite belongs to one process, so nothing else may have the database open. */
  start(): Promise<RunningApi>;
  /** Removes the database and the RabbitMQ exchange; stop the instances first. */
  remove(): Promise<void>;
}

/** Seeds the fresh database; `mint` gives access tokens the deployment will accept. */
export type Seed<T> = (database: Database, mint: (userIds: string[]) => Promise<string[]>) => Promise<T>;

/** The environment of an API instance under test, on embedded adapters unless a run adds service URLs. */
export const BASE_ENV: Record<string, string> = {
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info', // "listening" is an info line
  SHUTDOWN_GRACE_MS: '2000',
  // The config's maximum: the API's own per-sender limit must not be what a run measures.
  MESSAGES_PER_MINUTE: '100000',
  // Every simulated user connects from 127.0.0.1.
  MAX_SOCKETS_PER_ADDRESS: '1000000',
  // Empty means unset: nothing in the caller's shell may point the API at other services.
  DATABASE_URL: '',
  REDIS_URL: '',
  AMQP_URL: '',
  SMTP_URL: '',
  S3_BUCKET: '',
  S3_ENDPOINT: '',
};

/**
 * One deployment of the API under test: a fresh database seeded with `seed` before any instance opens it, then
 * `instances` processes on port 0 sharing the database, one JWT_SECRET, and this run's own RabbitMQ exchange
 * and Redis key prefix.
 */
export async function prepareApi<T>(options: DeploymentOptions, seed: Seed<T>): Promise<PreparedApi<T>> {
  const run = randomBytes(6).toString('hex');
  const jwtSecret = randomBytes(32).toString('base64url');
  const redis = options.redisUrl ? { url: options.redisUrl, keyPrefix: `yc_loadtest_${run}:` } : undefined;
  const exchange = `yc_loadtest_${run}`;
  const scratch = await scratchDatabase(options.databaseUrl);
  const amqpUrl = options.amqpUrl;
  const removeExchange = amqpUrl ? undoOnInterrupt(() => deleteExchange(amqpUrl, exchange)) : async () => {};
  const removeKeys = redis ? undoOnInterrupt(() => deleteKeys(redis.url, redis.keyPrefix)) : async () => {};
  const remove = async () => {
    await scratch.remove();
    await removeExchange();
    await removeKeys();
  };
  let seeded: T;
  try {
    const database = await scratch.open();
    try {
      seeded = await seed(database, (userIds) => mintAccessTokens(userIds, { jwtSecret, database, redis }));
    } finally {
      await database.close();
    }
  } catch (error) {
    await remove();
    throw error;
  }
  const env = {
    ...BASE_ENV,
    ...scratch.env,
    JWT_SECRET: jwtSecret,
    ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.keyPrefix } : {}),
    ...(amqpUrl ? { AMQP_URL: amqpUrl, AMQP_EXCHANGE: exchange } : {}),
  };
  const nodeArgs = [
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    ...(options.gcOnSignal ? GC_ON_SIGNAL : []),
  ];
  return {
    seeded,
    databaseEnv: scratch.env,
    env,
    remove,
    async start() {
      const servers: RunningServer[] = [];
      const stop = async () => {
        await Promise.all(servers.map((s) => s.stop()));
      };
      try {
        await ensureServerBuilt();
        for (let i = 1; i <= options.instances; i++) {
          servers.push(await spawnServer([API_MAIN], { ...env, INSTANCE_ID: `loadtest-${run}-${i}` }, nodeArgs));
        }
      } catch (error) {
        await stop();
        throw error;
      }
      return {
        ports: servers.map((s) => s.port),
        watch: () => watchServers(servers, { metrics: true }),
        resources: {
          serverName: 'API',
          serverPids: servers.map((s) => s.child.pid!),
          databaseUrl: scratch.env.DATABASE_URL,
          rabbitmq: Boolean(amqpUrl),
          redis: Boolean(redis),
        },
        stop,
      };
    },
  };
}

/** Starts the deployment, runs `use`, and stops the instances whatever happens. */
export async function withApi<R>(prepared: PreparedApi<unknown>, use: (api: RunningApi) => Promise<R>): Promise<R> {
  const api = await prepared.start();
  try {
    return await use(api);
  } finally {
    await api.stop();
  }
}

/** Sessions and rate-limit counters expire by themselves, but a run leaves nothing behind. */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

/** The API declares its exchange durable; a run's own must not outlive it. */
async function deleteExchange(url: string, exchange: string): Promise<void> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}
