// PostgreSQL 15, Redis and RabbitMQ of a run's own, each with the settings deploy/docker-compose.yml mounts, so that
// their memory is the deployment's (issue 11). On free ports of 127.0.0.1, data in a temporary directory; the
// machine's shared services (5432, 6379, 5672 and its epmd) are never touched. Each runs in its own process group:
// a Ctrl-C at the terminal reaches only this run, whose cleanup stops them in order.
import { execFile, spawn, type SpawnOptions } from 'node:child_process';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from '../../scripts/cluster.mjs';
import { undoOnInterrupt } from './cleanup.ts';
import { REPO_ROOT } from './paths.ts';
import { sleep, withTimeout } from './pool.ts';

const run = promisify(execFile);

const DEPLOY = path.join(REPO_ROOT, 'deploy');
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
/** The script itself, not /usr/sbin's wrapper, which would `su` to the rabbitmq user and share its cookie. */
const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
/** RabbitMQ's first boot (Mnesia, the management plugin) takes several seconds on these machines. */
const READY_TIMEOUT_MS = 90_000;
const PROBE_EVERY_MS = 250;
const STOP_TIMEOUT_MS = 30_000;
/** Lines of output kept per service, for saying why one did not start. */
const KEPT_LINES = 60;

export interface OwnService {
  url: string;
  /** The process started: the service is it and its descendants (postgres' backends, beam.smp under its script). */
  pid: number;
  stop(): Promise<void>;
}

export interface OwnServices {
  postgres: OwnService;
  redis: OwnService;
  rabbitmq: OwnService;
  stop(): Promise<void>;
}

/** All three in `dir` (which must exist), started side by side; those that started are stopped if one does not. */
export async function startOwnServices(dir: string): Promise<OwnServices> {
  const started = await Promise.allSettled([startPostgres(dir), startRedis(dir), startRabbitmq(dir)]);
  const stop = () => Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined))).then(() => {});
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [postgres, redis, rabbitmq] = started.map((s) => (s as PromiseFulfilledResult<OwnService>).value) as [OwnService, OwnService, OwnService];
  return { postgres, redis, rabbitmq, stop };
}

/**
 * Starts `command` as its own process group and waits until `probe` succeeds. Stopping sends `stopSignal` to the
 * process alone (postgres' backends must not get the postmaster's SIGINT), and SIGKILL to the group past the timeout.
 */
async function startService(
  name: string,
  url: string,
  command: string,
  args: string[],
  options: SpawnOptions & { stopSignal: NodeJS.Signals; probe: () => Promise<unknown> },
): Promise<OwnService> {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (line: string) => lines.push(line) > KEPT_LINES && lines.shift();
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = undoOnInterrupt(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(options.stopSignal);
    await withTimeout(exited, STOP_TIMEOUT_MS, `${name} stop`).catch(() => {
      process.kill(-child.pid!, 'SIGKILL');
      return exited;
    });
  });
  try {
    for (const until = Date.now() + READY_TIMEOUT_MS; ; await sleep(PROBE_EVERY_MS)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode})`);
      if (await options.probe().then(() => true, () => false)) break;
      if (Date.now() > until) throw new Error(`${name} did not answer within ${READY_TIMEOUT_MS / 1000} s`);
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}:\n${lines.join('\n')}`, { cause: error });
  }
  return { url, pid: child.pid!, stop };
}

/** A user's uid and gid (PostgreSQL refuses to run as root). */
async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number((await run('id', [flag, user])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/** deploy/postgres/postgresql.conf as the compose file runs it; only where it listens is changed, on the command line. */
async function startPostgres(dir: string): Promise<OwnService> {
  const port = await freePort();
  const { uid, gid } = await userIds('postgres');
  const home = path.join(dir, 'postgres');
  const data = path.join(home, 'data');
  await mkdir(home);
  await chown(home, uid, gid);
  const asPostgres = { uid, gid, cwd: home, env: { ...process.env, HOME: home } };
  await run(`${POSTGRES_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], asPostgres);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const settings = {
    config_file: path.join(DEPLOY, 'postgres/postgresql.conf'),
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: home,
  };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  return startService('PostgreSQL', url, `${POSTGRES_BIN}/postgres`, args, {
    ...asPostgres,
    // Fast shutdown: SIGTERM would wait for every client to leave.
    stopSignal: 'SIGINT',
    probe: async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
      await client.connect();
      await client.end();
    },
  });
}

/** deploy/redis/redis.conf, its maxmemory and append-only file kept; only where it listens and writes is changed. */
async function startRedis(dir: string): Promise<OwnService> {
  const port = await freePort();
  const home = path.join(dir, 'redis');
  await mkdir(home);
  const url = `redis://127.0.0.1:${port}`;
  const args = [path.join(DEPLOY, 'redis/redis.conf'), '--port', String(port), '--bind', '127.0.0.1', '--dir', home, '--daemonize', 'no'];
  return startService('Redis', url, 'redis-server', args, {
    cwd: home,
    stopSignal: 'SIGTERM',
    probe: async () => {
      const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      redis.on('error', () => {});
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    },
  });
}

/**
 * The values deploy/docker-compose.yml gives the API for `names` (its x-api-environment block), so that a run on
 * this machine sets what the deployment sets; a name it does not set is an error, not a silent default.
 */
export function composeApiEnv(compose: string, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => {
      const value = new RegExp(`^ {2}${name}: "?([^"\\n]*)"?$`, 'm').exec(compose)?.[1];
      if (value === undefined) throw new Error(`deploy/docker-compose.yml gives the API no ${name}`);
      return [name, value];
    }),
  );
}

/** What in the compose file's API environment sets the deployment's memory: the database pool sets PostgreSQL's backends. */
export const deployedApiEnv = async () =>
  composeApiEnv(await readFile(path.join(DEPLOY, 'docker-compose.yml'), 'utf8'), ['NODE_ENV', 'DATABASE_POOL_SIZE']);

const MANAGEMENT_PORT_LINE = /^management\.tcp\.port = \d+$/m;

/**
 * A second RabbitMQ node beside the machine's, with deploy/rabbitmq/rabbitmq.conf and the management plugin the
 * compose image runs. Its own node name, cookie (HOME), environment file and config, so that nothing of the
 * machine's node (/etc/rabbitmq) applies; it registers with the machine's epmd, which is not this run's.
 */
async function startRabbitmq(dir: string): Promise<OwnService> {
  const [port, distPort, managementPort] = [await freePort(), await freePort(), await freePort()];
  const home = path.join(dir, 'rabbitmq');
  await mkdir(home);
  const settings = await readFile(path.join(DEPLOY, 'rabbitmq/rabbitmq.conf'), 'utf8');
  if (!MANAGEMENT_PORT_LINE.test(settings)) throw new Error('deploy/rabbitmq/rabbitmq.conf no longer sets management.tcp.port, which this run replaces');
  const file = (name: string, text: string) => writeFile(path.join(home, name), text).then(() => path.join(home, name));
  const env = {
    ...process.env,
    HOME: home,
    RABBITMQ_NODENAME: `yc-memory-${process.pid}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    RABBITMQ_MNESIA_BASE: path.join(home, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(home, 'log'),
    RABBITMQ_CONF_ENV_FILE: await file('rabbitmq-env.conf', ''),
    RABBITMQ_CONFIG_FILE: await file(
      'rabbitmq.conf',
      settings.replace(MANAGEMENT_PORT_LINE, `management.tcp.port = ${managementPort}\nmanagement.tcp.ip = 127.0.0.1`),
    ),
    RABBITMQ_ENABLED_PLUGINS_FILE: await file('enabled_plugins', '[rabbitmq_management].\n'),
  };
  const url = `amqp://guest:guest@127.0.0.1:${port}`;
  return startService('RabbitMQ', url, RABBITMQ_SERVER, [], {
    cwd: home,
    env,
    // The script passes it on to beam.smp, which shuts down cleanly and takes its port helpers with it.
    stopSignal: 'SIGTERM',
    probe: async () => {
      const connection = await amqplib.connect(url, { timeout: 2_000 });
      await connection.close();
    },
  });
}
