import { randomBytes } from 'node:crypto';
import net from 'node:net';
import amqplib from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe } from 'vitest';

/** The machine's shared services; tests isolate themselves with their own database / prefix / exchange. */
export const SERVICES = {
  postgres: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  rabbitmq: process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
} as const;

export type ServiceName = keyof typeof SERVICES;

const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * `describe` for suites that need real services. In CI a missing service fails the suite;
 * on a laptop without it the suite is skipped with one loud line.
 */
export async function describeWithServices(
  name: string,
  needs: ServiceName[],
  body: () => void,
): Promise<void> {
  const missing: ServiceName[] = [];
  for (const service of needs) if (!(await reachable(SERVICES[service]))) missing.push(service);
  if (missing.length > 0 && !IN_CI) {
    console.warn(`\n!!! SKIPPING "${name}": ${missing.join(', ')} not reachable (set CI=true to make this fail)\n`);
  }
  if (missing.length > 0 && IN_CI) {
    throw new Error(`"${name}" needs ${missing.join(', ')}, which is not reachable`);
  }
  describe.skipIf(missing.length > 0)(name, body);
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** A fresh, empty PostgreSQL database for one test file; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName('yc_test');
  const admin = new pg.Client({ connectionString: SERVICES.postgres });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVICES.postgres);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: SERVICES.postgres });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Environment for real-services mode, isolated for one test file: its own PostgreSQL database,
 * Redis key prefix and RabbitMQ exchange. `cleanup` removes all three.
 */
export async function realServicesEnv(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const database = await createTestDatabase();
  const prefix = `${uniqueName('yc_test')}:`;
  const exchange = uniqueName('yc_test');
  return {
    env: {
      // Instances of one deployment share the signing key, or tokens from one are refused by the other.
      JWT_SECRET: randomBytes(32).toString('base64url'),
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: SERVICES.redis,
      REDIS_KEY_PREFIX: prefix,
      AMQP_URL: SERVICES.rabbitmq,
      AMQP_EXCHANGE: exchange,
    },
    async cleanup() {
      await database.drop();
      const redis = new Redis(SERVICES.redis);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      const connection = await amqplib.connect(SERVICES.rabbitmq);
      const channel = await connection.createChannel();
      await channel.deleteExchange(exchange);
      await connection.close();
    },
  };
}
