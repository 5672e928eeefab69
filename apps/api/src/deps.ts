import { createRequire } from 'node:module';
import path from 'node:path';
import { LIMITS } from '@youngchat/shared';
import type { DestinationStream } from 'pino';
import { createConsoleMailer } from './adapters/embedded/console-mailer.ts';
import { createDiskBlobStore } from './adapters/embedded/disk-blob-store.ts';
import { createInProcessEventBus } from './adapters/embedded/in-process-event-bus.ts';
import { createMemoryRateLimiterFactory } from './adapters/embedded/memory-rate-limiter.ts';
import { createPgliteDatabase } from './adapters/embedded/pglite-database.ts';
import { createSqlKeyValue } from './adapters/embedded/sql-key-value.ts';
import { migrateToLatest } from './adapters/postgres/migrator.ts';
import type { Config } from './config.ts';
import { createSqlRateLimiterFactory } from './adapters/embedded/sql-rate-limiter.ts';
import { createAccessTokens } from './modules/auth/access-token.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createBlocksService } from './modules/blocks/blocks.service.ts';
import { createRefreshTokens } from './modules/auth/refresh-tokens.ts';
import { createSessionCache } from './modules/auth/auth.session-cache.ts';
import { createSessionBook } from './modules/auth/auth.sessions.ts';
import { createProfileService } from './modules/profile/profile.service.ts';
import { pruneEventsBefore, readHead, readLog } from './modules/events/events.repository.ts';
import { createAccountService } from './modules/account/account.service.ts';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.ts';
import { createEventsService } from './modules/events/events.service.ts';
import { createSendBatcher } from './modules/messages/messages.batcher.ts';
import { createPageReader } from './modules/messages/messages.pages.ts';
import { createMessagesService } from './modules/messages/messages.service.ts';
import { createRosters } from './modules/messages/messages.rosters.ts';
import { createRoomsService } from './modules/rooms/rooms.service.ts';
import { createSystemService } from './modules/system/system.service.ts';
import { createUsersService } from './modules/users/users.service.ts';
import { createStream, type Stream } from './realtime/stream.ts';
import { createPresence, type Presence } from './realtime/presence.ts';
import { createConnectionRegistry, type ConnectionRegistry } from './realtime/connections.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import type { BlobStore } from './ports/blob-store.ts';
import type { Database } from './ports/database.ts';
import type { Dependency } from './ports/dependency.ts';
import type { EventBus } from './ports/event-bus.ts';
import type { KeyValueStore } from './ports/key-value.ts';
import type { DevOutbox, Mailer } from './ports/mailer.ts';
import type { RateLimiterFactory } from './ports/rate-limiter.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * A head read each second finds an entry whose relay was lost even when nothing follows it; an entry out of order
 * waits 25 ms for those before it to come by bus before they are read from the database.
 */
const STREAM_TIMING = { headPollMs: 1_000, fillDelayMs: 25, reachTimeoutMs: 10_000 };
/** Access tokens found live are trusted for 10 s (revocations are relayed at once; this bounds a lost relay). */
/**
 * A token found live is trusted until a revocation is relayed. A broker can drop a relay without a gap being noticed
 * (a stalled instance's queue overflows or expires), so there the TTL bounds what a lost one leaves behind; the
 * in-process bus loses nothing and the cache keeps a token until it expires (no key-value round trips per token).
 */
const sessionCacheOptions = (bus: EventBus) => ({ ttlMs: bus.kind === 'in-process' ? Infinity : 10_000, maxEntries: 100_000 });
const HOUR_MS = 60 * 60_000;
/**
 * Group commit: a batch gathers sends for 5 ms (and under load batches grow further, so statements and commits per
 * message fall), up to two batches are written at once, each of at most 500. Against 2 ms: 22–36% less CPU per
 * delivered message at 300–600 sends/s for 2 ms more at the median, capacity inside the noise (decision 0007).
 */
const SEND_BATCHES = { gatherMs: 5, inFlight: 2, maxBatch: 500 };
/** History pages: up to four statements at once, each of at most 100 pages (decision 0007). */
const PAGE_BATCHES = { inFlight: 4, maxBatch: 100 };

// A real service's adapter is loaded only when its URL is set: their libraries (pg, ioredis, amqplib, nodemailer, the
// S3 SDK) would cost the embedded server ~18 MB of its 256 MB (issue 11).
const postgres = () => import('./adapters/postgres/pg-database.ts');
const redisKeyValue = () => import('./adapters/redis/redis-key-value.ts');
const redisRateLimiter = () => import('./adapters/redis/redis-rate-limiter.ts');
const rabbitMq = () => import('./adapters/rabbitmq/rabbitmq-event-bus.ts');
const smtp = () => import('./adapters/smtp/smtp-mailer.ts');
const s3 = () => import('./adapters/s3/s3-blob-store.ts');

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  keyValue: KeyValueStore;
  eventBus: EventBus;
  mailer: Mailer;
  /** Only in embedded mail mode outside production. */
  devOutbox: DevOutbox | undefined;
  blobStore: BlobStore;
  rateLimiters: RateLimiterFactory;
  /** This instance's authenticated WebSockets. */
  connections: ConnectionRegistry;
  /** This instance's copy of the event log, and its live subscribers. */
  stream: Stream;
  /** Who is online on any instance. */
  presence: Presence;
  /** Housekeeping in the background: old events pruned, deleted accounts' emails released. */
  jobs: PeriodicJob[];
  services: {
    system: ReturnType<typeof createSystemService>;
    auth: ReturnType<typeof createAuthService>;
    profile: ReturnType<typeof createProfileService>;
    users: ReturnType<typeof createUsersService>;
    rooms: ReturnType<typeof createRoomsService>;
    blocks: ReturnType<typeof createBlocksService>;
    messages: ReturnType<typeof createMessagesService>;
    events: ReturnType<typeof createEventsService>;
    account: ReturnType<typeof createAccountService>;
  };
  /** Every outside dependency, in the order they are closed (last opened first). */
  dependencies: Dependency[];
}

/**
 * The composition root: the only place that picks an adapter for each port, from config alone.
 * An unset service URL means the embedded adapter.
 */
export async function buildDeps(config: Config, options: { logDestination?: DestinationStream } = {}): Promise<AppDeps> {
  const logger = createLogger({
    level: config.logLevel,
    instanceId: config.instanceId,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const opened: Dependency[] = [];
  const open = <T extends Dependency>(dependency: T): T => {
    opened.unshift(dependency);
    return dependency;
  };

  try {
    const database = open(
      config.database.url
        ? (await postgres()).createPgDatabase({ url: config.database.url, poolSize: config.database.poolSize, logger })
        : await createPgliteDatabase({ dataDir: config.dataDir }),
    );
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');

    const keyValue = open(
      config.redis.url
        ? await (await redisKeyValue()).createRedisKeyValue({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, logger })
        : createSqlKeyValue(database.db, logger),
    );
    const eventBus = open(
      config.amqp.url
        ? (await rabbitMq()).createRabbitMqEventBus({
            url: config.amqp.url,
            exchange: config.amqp.exchange,
            instanceId: config.instanceId,
            logger: logger.child({ component: 'rabbitmq' }),
          })
        : createInProcessEventBus(),
    );
    const consoleMailer = config.mail.smtpUrl ? undefined : createConsoleMailer({ logger });
    const mailer = open(consoleMailer ?? (await smtp()).createSmtpMailer({ url: config.mail.smtpUrl!, from: config.mail.from }));
    const blobStore = open(
      config.s3.bucket
        ? (await s3()).createS3BlobStore({
            bucket: config.s3.bucket,
            region: config.s3.region,
            endpoint: config.s3.endpoint,
            forcePathStyle: config.s3.forcePathStyle,
            credentials: config.s3.credentials,
          })
        : createDiskBlobStore({ root: path.join(config.dataDir, 'blobs') }),
    );

    // Limits must be counted where every instance counts. Several instances exist only with a broker between them:
    // without one (an in-process bus) this process sees every attempt and counts in memory, at no round trip;
    // with one and no Redis, they share the database's table.
    const rateLimiters = open(
      config.redis.url
        ? await (await redisRateLimiter()).createRedisRateLimiterFactory({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, logger })
        : config.amqp.url
          ? createSqlRateLimiterFactory(database.db)
          : createMemoryRateLimiterFactory(),
    );
    const connections = createConnectionRegistry(eventBus, config.connections);
    const sessions = createSessionCache(eventBus, sessionCacheOptions(eventBus));
    const refreshTokens = createRefreshTokens(keyValue, {
      familyTtlMs: config.refreshTokenTtlMs,
      onReuse: (sessionId) => sessions.revoked({ sessionId }),
    });
    const sessionBook = createSessionBook({ db: database.db, refreshTokens, cache: sessions, connections, ttlMs: config.refreshTokenTtlMs });
    const stream = createStream({
      bus: eventBus,
      instanceId: config.instanceId,
      logger,
      readHead: () => readHead(database.db),
      readRange: async (after, upTo, limit) => {
        const page = await readLog(database.db, { after, upTo, limit });
        for (const problem of page.problems) logger.warn({ problem }, 'a stored event was unreadable: readers get resync in its place');
        return page.entries;
      },
      ringSize: config.streamMemoryEvents,
      ...STREAM_TIMING,
    });
    await stream.start();
    const rooms = createRoomsService({ db: database.db, stream });
    const auth = createAuthService({
      db: database.db,
      kv: keyValue,
      mailer,
      rateLimiters,
      accessTokens: createAccessTokens({ secret: config.jwtSecret, ttlMs: config.accessTokenTtlMs }),
      refreshTokens,
      sessions,
      sessionBook,
      codeSecret: config.jwtSecret,
      logger,
    });
    const account = createAccountService({
      db: database.db,
      auth,
      rooms,
      blobStore,
      logger,
      emailGraceMs: config.accountEmailGraceMs,
    });
    const presence = createPresence(eventBus, {
      instanceId: config.instanceId,
      logger,
      ...config.presence,
      // A polling client asks again as soon as a poll answers; one missed poll is not yet going away.
      pollLeaseMs: LIMITS.pollMaxWaitMs + 10_000,
    });

    const adapters = {
      database: database.kind,
      keyValue: keyValue.kind,
      eventBus: eventBus.kind,
      mailer: mailer.kind,
      blobStore: blobStore.kind,
    };
    logger.info({ adapters }, 'adapters chosen');

    return {
      config,
      logger,
      metrics: createMetrics(),
      database,
      keyValue,
      eventBus,
      mailer,
      devOutbox: consoleMailer && config.nodeEnv !== 'production' ? consoleMailer : undefined,
      blobStore,
      rateLimiters,
      connections,
      stream,
      presence,
      jobs: [
        startPeriodicJob({
          name: 'prune-events',
          kv: keyValue,
          instanceId: config.instanceId,
          logger,
          everyMs: HOUR_MS,
          async run() {
            // A client away longer than the retention resyncs.
            const deleted = await pruneEventsBefore(database.db, new Date(Date.now() - config.eventRetentionMs));
            if (deleted > 0) logger.info({ deleted }, 'old events pruned');
          },
        }),
        startPeriodicJob({
          name: 'release-deleted-emails',
          kv: keyValue,
          instanceId: config.instanceId,
          logger,
          everyMs: HOUR_MS,
          async run() {
            const released = await account.releaseEmails();
            if (released > 0) logger.info({ released }, 'emails of deleted accounts released');
          },
        }),
      ],
      services: {
        system: createSystemService({ version, instanceId: config.instanceId, adapters }),
        auth,
        profile: createProfileService({ db: database.db, blobStore, logger }),
        users: createUsersService({ db: database.db, rateLimiters }),
        rooms,
        blocks: createBlocksService({ db: database.db, rooms }),
        messages: createMessagesService({
          db: database.db,
          stream,
          blobStore,
          logger,
          rosters: createRosters(database.db, stream),
          batcher: createSendBatcher({
            db: database.db,
            stream,
            // Per sender, counted by every instance alike (the limiter's store is shared).
            limiter: rateLimiters.create({ name: 'messages_send', points: config.messagesPerMinute, durationSec: 60 }),
            ...SEND_BATCHES,
          }),
          pages: createPageReader({ db: database.db, ...PAGE_BATCHES }),
        }),
        account,
        events: createEventsService({ db: database.db, stream, presence, logger, queueCap: config.streamQueueEvents }),
      },
      dependencies: opened,
    };
  } catch (error) {
    await closeAll(opened, logger);
    throw error;
  }
}

export async function closeAll(dependencies: Dependency[], logger: Logger): Promise<void> {
  for (const dependency of dependencies) {
    try {
      await dependency.close();
    } catch (error) {
      logger.warn({ err: error, dependency: dependency.name }, 'close failed');
    }
  }
}
