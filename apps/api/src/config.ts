import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const optionalUrl = (protocols: string[]) =>
  z
    .url({
      protocol: new RegExp(`^(${protocols.join('|')})$`),
      error: `expected a ${protocols.map((p) => `${p}://`).join(' or ')} URL`,
    })
    .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const commaList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.url()));

/** Every environment variable the API reads. Nothing else in the code base reads process.env. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  REDIS_KEY_PREFIX: z.string().default('yc:'),
  AMQP_URL: optionalUrl(['amqp', 'amqps']),
  AMQP_EXCHANGE: z.string().min(1).default('youngchat.events'),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  MAIL_FROM: z.string().min(3).default('YOUng Chat <no-reply@youngchat.local>'),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  /** Unset: the SDK's default credential chain (AWS_ACCESS_KEY_ID…, instance roles). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: commaList.optional(),
  STATIC_DIR: z.string().min(1).optional(),
  TRUST_PROXY: booleanFlag.default(false),
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(15 * 60).default(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** WebSockets, SSE streams and long-polls of one user on one instance; past it the oldest gives way. */
  MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  /** WebSockets from one client address (signed in or not) on one instance; past it the newest is refused. */
  MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(200),
  MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).max(1_000).default(5),
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(16 * 1024).max(256 * 1024 * 1024).default(4 * 1024 * 1024),
  MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(100),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** How long a deleted account's email stays taken before anyone may sign up with it again. */
  ACCOUNT_EMAIL_GRACE_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  STREAM_MEMORY_EVENTS: z.coerce.number().int().min(10).max(1_000_000).default(20_000),
  /** Events an SSE stream or long-poll may hold unread; past it, the reader resumes from its position. */
  STREAM_QUEUE_EVENTS: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(5_000),
  PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Set by npm to the directory `npm …` was run from. */
  INIT_CWD: z.string().optional(),
});

type Env = z.infer<typeof envSchema>;

/** Every variable name envSchema knows: deployment files are checked against it (apps/api/test/deploy-files.test.ts). */
export const ENV_NAMES: readonly (keyof Env)[] = Object.keys(envSchema.shape) as (keyof Env)[];

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  instanceId: string;
  logLevel: Env['LOG_LEVEL'];
  /** Origins allowed to call cookie-authenticated procedures and to open WebSockets. */
  allowedOrigins: string[];
  staticDir: string;
  shutdownGraceMs: number;
  /** Behind nginx: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  jwtSecret: string;
  accessTokenTtlMs: number;
  /** Unsent bytes a WebSocket may hold before the server cuts it (a client that stopped reading). */
  wsMaxBufferedBytes: number;
  connections: { perUser: number; subscriptionsPerSocket: number };
  maxSocketsPerAddress: number;
  /** Messages one user may send per minute, across all instances. */
  messagesPerMinute: number;
  refreshTokenTtlMs: number;
  /** Stored events older than this are pruned; a client away longer gets `resync`. */
  eventRetentionMs: number;
  accountEmailGraceMs: number;
  /** Recent live events each instance keeps in memory, from which reconnecting clients catch up. */
  streamMemoryEvents: number;
  streamQueueEvents: number;
  /** Going offline is announced this long after a user's last connection ends; instances repeat their online set every heartbeat. */
  presence: { graceMs: number; heartbeatMs: number };
  database: { url: string | undefined; poolSize: number };
  redis: { url: string | undefined; keyPrefix: string };
  amqp: { url: string | undefined; exchange: string };
  mail: { smtpUrl: string | undefined; from: string };
  s3: {
    bucket: string | undefined;
    endpoint: string | undefined;
    region: string;
    forcePathStyle: boolean;
    credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEFAULT_STATIC_DIR = path.resolve(import.meta.dirname, '../../web/dist');

/**
 * Reads and validates the environment. Throws a ConfigError naming each bad variable,
 * so a misconfigured instance refuses to start instead of failing later.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(
    // An empty value means unset: `FOO= npm start` should not fail validation.
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  if (e.S3_ENDPOINT && !e.S3_BUCKET) {
    throw new ConfigError('invalid configuration:\n  S3_BUCKET: required when S3_ENDPOINT is set');
  }
  if (!e.S3_ACCESS_KEY_ID !== !e.S3_SECRET_ACCESS_KEY) {
    throw new ConfigError('invalid configuration:\n  S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither');
  }
  // npm runs workspace scripts inside the workspace; resolve relative paths from where the user typed the command.
  const dataDir = path.resolve(e.INIT_CWD ?? process.cwd(), e.DATA_DIR);
  const port = e.PORT;
  const publicUrl = e.PUBLIC_URL?.replace(/\/$/, '');
  const allowedOrigins = [
    ...(publicUrl ? [new URL(publicUrl).origin] : []),
    ...(e.CORS_ORIGINS ?? []).map((o) => new URL(o).origin),
  ];
  return {
    nodeEnv: e.NODE_ENV,
    port,
    host: e.HOST,
    publicUrl,
    dataDir,
    instanceId: e.INSTANCE_ID ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    logLevel: e.LOG_LEVEL,
    allowedOrigins,
    staticDir: e.STATIC_DIR ? path.resolve(e.INIT_CWD ?? process.cwd(), e.STATIC_DIR) : DEFAULT_STATIC_DIR,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    trustProxy: e.TRUST_PROXY,
    accessTokenTtlMs: e.ACCESS_TOKEN_TTL_SEC * 1000,
    messagesPerMinute: e.MESSAGES_PER_MINUTE,
    wsMaxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
    connections: { perUser: e.MAX_CONNECTIONS_PER_USER, subscriptionsPerSocket: e.MAX_SUBSCRIPTIONS_PER_SOCKET },
    maxSocketsPerAddress: e.MAX_SOCKETS_PER_ADDRESS,
    refreshTokenTtlMs: e.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    jwtSecret: e.JWT_SECRET ?? embeddedJwtSecret(dataDir),
    eventRetentionMs: e.EVENT_RETENTION_DAYS * 86_400_000,
    accountEmailGraceMs: e.ACCOUNT_EMAIL_GRACE_DAYS * 86_400_000,
    streamMemoryEvents: e.STREAM_MEMORY_EVENTS,
    streamQueueEvents: e.STREAM_QUEUE_EVENTS,
    presence: { graceMs: e.PRESENCE_GRACE_MS, heartbeatMs: e.PRESENCE_HEARTBEAT_MS },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    amqp: { url: e.AMQP_URL, exchange: e.AMQP_EXCHANGE },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    s3: {
      bucket: e.S3_BUCKET,
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      credentials:
        e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
          : undefined,
    },
  };
}

/** Generated once and kept in DATA_DIR so sessions survive a restart of a laptop instance. */
function embeddedJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
