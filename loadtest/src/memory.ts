// `npm run memory -w @youngchat/loadtest -- [--cluster] [--users 1000] [--rate 200] [--seconds 120] [--idle-seconds 10] [--limit-mb 256|1024]`
// DESIGN §8 and issue 11, at idle and while users chat, in one of two deployments:
// - embedded (the default): the server's RSS, started by `npm start` itself (with the node flags and environment its
//   script sets), from its first start on an empty DATA_DIR. RSS is the server process's (npm, its parent, is not
//   counted): PGlite's worker is a thread inside it.
// - --cluster: the real-services deployment of deploy/docker-compose.yml (2 API instances behind nginx, PostgreSQL,
//   Redis, RabbitMQ, with deploy/'s memory settings), all started by this run; RSS summed over every process of it,
//   with PSS beside it (RSS counts PostgreSQL's shared_buffers once per backend that touched them).
// Exits 1 when a checked figure is over --limit-mb. Bounded in time, on 127.0.0.1; removes what it made, on Ctrl-C too.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster, type Cluster } from '../../scripts/cluster.mjs';
import { webBuildIsStale } from '../../scripts/stale.mjs';
import { seedRooms, type SeededRooms } from './api/database.ts';
import { BASE_ENV, prepareApi } from './api/deployment.ts';
import { createPgliteDatabase } from './api/internals.ts';
import { mintAccessTokens } from './api/sessions.ts';
import { cleanUpOn, undoOnInterrupt } from './cleanup.ts';
import { sendToRandomRoom, trpcChat, type ChatClient } from './clients/chat-clients.ts';
import { CONNECT_TIMEOUT_MS, connectAll, describeFailures } from './clients/connect-all.ts';
import { drain } from './drain.ts';
import { breakdownRows, overLimit, peakOf, readingOf, readingRows, sampledReadings, type Breakdown, type Reading } from './memory-report.ts';
import { FanoutLedger } from './metrics.ts';
import { deployedApiEnv, startOwnServices, type OwnServices } from './own-services.ts';
import { pace } from './pacer.ts';
import { ensureServerBuilt, REPO_ROOT } from './paths.ts';
import { sleep } from './pool.ts';
import { childrenByParent, descendantPids, peakRssMb, processCpuSeconds, pssMb, requireOpenFiles, rssMb } from './proc.ts';
import { spawnListening } from './process-stats.ts';
import { environmentLines, ms, versionOf } from './report.ts';
import { planRooms, type RoomPlan } from './room-plan.ts';
import { formatTable } from './text-table.ts';

const FLAGS = {
  cluster: { type: 'boolean', default: false },
  users: { type: 'string', default: '1000' },
  // A steady tenth or so of the API's capacity on PGlite here (README): a busy chat, not a capacity test.
  rate: { type: 'string', default: '200' },
  // 24,000 sends: past the 20,000 recent events the API keeps in memory (STREAM_MEMORY_EVENTS), so RSS has levelled.
  seconds: { type: 'string', default: '120' },
  'idle-seconds': { type: 'string', default: '10' },
  'limit-mb': { type: 'string' },
} as const;

/** DESIGN §8's embedded app, and issue 11's cluster on the 1 GB machine deploy/docker-compose.yml is sized for. */
const DEFAULT_LIMIT_MB = { embedded: 256, cluster: 1024 };
const ROOM_SIZE = 10;
const SAMPLE_MS = 250;
/** Debian's packages of what the cluster runs (the compose file's images are Alpine's builds of other versions). */
const CLUSTER_PACKAGES = ['postgresql-15', 'redis-server', 'rabbitmq-server', 'erlang-base', 'nginx'];

interface Options {
  users: number;
  rate: number;
  seconds: number;
  idleSeconds: number;
}

type Seeded = SeededRooms & { tokens: string[] };

/** Each part of a deployment (the server; or API instances, nginx, PostgreSQL…) and its processes. */
type Parts = Record<string, number[]>;

/** What the users connect to, and what of it is measured. */
interface Deployment {
  /** Where the users connect: the server itself, or nginx in front of the instances. */
  port: number;
  /** The API processes and their own ports: the CPU and heap reported are theirs. */
  api: { name: string; pid: number; port: number }[];
  /** Each part's processes now, looked up at every sample: PostgreSQL's backends come and go with the pools. */
  parts: () => Parts;
}

interface Measured {
  readings: Reading[];
  /** The sample of most RSS while chatting, part by part. */
  peak: Breakdown | undefined;
  /** What the load did and how the API fared, a line each. */
  load: string[];
}

const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0);

/** RSS and PSS of each part, summed over its processes. */
function memoryOf(parts: Parts): Breakdown {
  return Object.fromEntries(
    Object.entries(parts).map(([name, pids]) => [name, { processes: pids.length, rssMb: sum(pids, rssMb), pssMb: sum(pids, pssMb) }]),
  );
}

/** Samples memoryOf(parts()) every SAMPLE_MS; the returned function stops and hands the samples over. */
function sampleMemory(parts: () => Parts): () => Breakdown[] {
  const samples = [memoryOf(parts())];
  const timer = setInterval(() => samples.push(memoryOf(parts())), SAMPLE_MS);
  return () => {
    clearInterval(timer);
    return [...samples, memoryOf(parts())];
  };
}

/** Where the main thread's memory is, from the server's /metrics (prom-client's defaults), in MB. */
async function heapOf(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const mb = (pattern: RegExp) => Math.round(Number(pattern.exec(text)?.[1]) / 2 ** 20);
  const space = (name: string) => mb(new RegExp(`^nodejs_heap_space_size_total_bytes\\{space="${name}"\\} (\\S+)`, 'm'));
  return (
    `V8 heap ${mb(/^nodejs_heap_size_total_bytes (\S+)/m)} MB (used ${mb(/^nodejs_heap_size_used_bytes (\S+)/m)}; ` +
    `old space ${space('old')}, new ${space('new')}, code ${space('code')}), external ${mb(/^nodejs_external_memory_bytes (\S+)/m)} MB`
  );
}

/**
 * The deployment as it serves `options.users` users: ready, then every user connected and idle, then a steady
 * chat sampled throughout. The deployment is started and stopped by the caller.
 */
async function measure(deployment: Deployment, readyPhase: string, plan: RoomPlan, seeded: Seeded, options: Options): Promise<Measured> {
  let clients: (ChatClient | undefined)[] = [];
  try {
    const ready = memoryOf(deployment.parts());
    const ledger = new FanoutLedger();
    const notes = new Map<string, number>();
    const note = (what: string) => notes.set(what, (notes.get(what) ?? 0) + 1);
    const connect = trpcChat([deployment.port], seeded.userIds, seeded.tokens, CONNECT_TIMEOUT_MS);
    const crowd = await connectAll(options.users, (user) =>
      connect(user, { deliver: (d) => ledger.deliver(String(user), d.roomId, d.clientId, d.seq, d.at), note }),
    );
    clients = crowd.clients;
    if (crowd.failures.size > 0) throw new Error(`users could not connect: ${describeFailures(crowd.failures)}`);
    await sleep(options.idleSeconds * 1000);
    const connected = memoryOf(deployment.parts());

    const cpuBefore = deployment.api.map((api) => processCpuSeconds(api.pid));
    const stopSampling = sampleMemory(deployment.parts);
    // Open loop, but a deployment that falls a second behind gets no more queued: the run stays bounded.
    let skipped = 0;
    await pace(
      options.rate,
      (n) => {
        if (ledger.unanswered >= options.rate) return void (skipped += 1);
        const user = n % options.users;
        sendToRandomRoom({ ledger, plan, roomIds: seeded.roomIds, note }, user, clients[user]!.send);
      },
      options.rate * options.seconds,
    ).done;
    const samples = stopSampling();
    const cpuPercents = deployment.api.map((api, i) => ((processCpuSeconds(api.pid) - cpuBefore[i]!) / options.seconds) * 100);
    const heaps = await Promise.all(deployment.api.map((api) => heapOf(api.port)));
    await drain(ledger);
    if (skipped > 0) note('sends skipped: a second of sends unanswered');
    const deliver = ledger.latency.summary();
    const load = [
      `${ledger.acked} sends acknowledged, ${ledger.failed} failed, ${ledger.unanswered} unanswered; ` +
        `${ledger.arrived} of ${ledger.expected} deliveries owed arrived, send→deliver p50 ${ms(deliver.p50)} ms, ` +
        `p99 ${ms(deliver.p99)} ms`,
      `CPU while chatting, % of a core: ${deployment.api.map((api, i) => `${api.name} ${Math.round(cpuPercents[i]!)}%`).join(', ')}`,
      ...deployment.api.map((api, i) => `${api.name}'s main thread at the end of chatting: ${heaps[i]}`),
      ...[...notes].map(([what, n]) => `${n} × ${what}`),
    ];
    const readings = [
      readingOf(readyPhase, ready),
      readingOf(`${options.users} users connected, idle ${options.idleSeconds} s`, connected),
      ...sampledReadings(`chatting ${options.rate} sends/s for ${options.seconds} s`, samples),
    ];
    return { readings, peak: peakOf(samples), load };
  } finally {
    for (const client of clients) client?.close();
  }
}

/** `npm start` in the repository, and the pid of the server it runs (a first start's initdb is another process). */
async function npmStart(env: Record<string, string>) {
  const server = await spawnListening('npm', ['start', '--silent'], env, REPO_ROOT);
  const pid = descendantPids(server.child.pid!).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('scripts/start.mjs'));
  if (pid === undefined) {
    await server.stop();
    throw new Error('npm start runs no scripts/start.mjs');
  }
  // Stopped through npm, as a person's Ctrl-C would: npm start execs the server, so the signal reaches its drain.
  return { ...server, pid };
}

/** The embedded server is one process: initdb, in a child of the first start, is not counted (decision 0008). */
const serverParts = (pid: number) => (): Parts => ({ 'server (npm start)': [pid] });

/** The first start: initdb and the migrations on an empty DATA_DIR, then nothing to do. */
async function firstStart(env: Record<string, string>, options: Options): Promise<Reading[]> {
  const server = await npmStart(env);
  try {
    const parts = serverParts(server.pid);
    const ready = memoryOf(parts());
    await sleep(options.idleSeconds * 1000);
    return [
      readingOf('first start (empty DATA_DIR): ready', ready),
      readingOf(`first start: idle ${options.idleSeconds} s later`, memoryOf(parts())),
      { phase: 'first start: peak of the server process', rssMb: peakRssMb(server.pid), checked: false },
    ];
  } finally {
    await server.stop();
  }
}

/** The users and their rooms in the DATA_DIR the first start made, with a token each; the server must be stopped. */
async function seed(dataDir: string, plan: RoomPlan, jwtSecret: string): Promise<Seeded> {
  const database = await createPgliteDatabase({ dataDir });
  try {
    const seeded = await seedRooms(database.db, plan);
    return { ...seeded, tokens: await mintAccessTokens(seeded.userIds, { jwtSecret, database, redis: undefined }) };
  } finally {
    await database.close();
  }
}

/** The embedded server: a first start on an empty DATA_DIR, then a restart on it seeded, where the users chat. */
async function embedded(plan: RoomPlan, options: Options): Promise<Measured> {
  // Built before the first start, so that the start is timed and measured as a server, not as a build.
  await ensureServerBuilt();
  if (webBuildIsStale()) {
    const { status } = spawnSync('npm', ['run', 'build', '-w', '@youngchat/web'], { stdio: 'inherit' });
    if (status !== 0) throw new Error('the SPA did not build');
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-memory-'));
  const removeDir = undoOnInterrupt(() => rm(dataDir, { recursive: true, force: true }));
  try {
    const jwtSecret = randomBytes(32).toString('base64url');
    const env = { ...BASE_ENV, DATA_DIR: dataDir, JWT_SECRET: jwtSecret };
    const first = await firstStart(env, options);
    // PGlite belongs to one process: the users are seeded between the two starts (sign-up cannot make a thousand).
    const seeded = await seed(dataDir, plan, jwtSecret);
    const server = await npmStart(env);
    try {
      const deployment = { port: server.port, api: [{ name: 'server', pid: server.pid, port: server.port }], parts: serverParts(server.pid) };
      const measured = await measure(deployment, 'restart (seeded DATA_DIR): ready', plan, seeded, options);
      return { ...measured, readings: [...first, ...measured.readings] };
    } finally {
      await server.stop();
    }
  } finally {
    await removeDir();
  }
}

/** The cluster's parts, named as deploy/docker-compose.yml's services: each process with all it started. */
function clusterParts(cluster: Cluster, services: OwnServices): () => Parts {
  return () => {
    const children = childrenByParent();
    const tree = (pid: number) => [pid, ...descendantPids(pid, children)];
    return {
      ...Object.fromEntries(cluster.instances.map((instance) => [instance.name, tree(instance.child.pid!)])),
      nginx: tree(cluster.nginx.child.pid!),
      PostgreSQL: tree(services.postgres.pid),
      Redis: tree(services.redis.pid),
      RabbitMQ: tree(services.rabbitmq.pid),
    };
  };
}

/** The real-services cluster: this run's own services, the users seeded, then 2 API instances behind nginx. */
async function clustered(plan: RoomPlan, options: Options): Promise<Measured> {
  const apiEnv = await deployedApiEnv();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yc-memory-cluster-'));
  // PostgreSQL runs as its own user, which must reach its directory inside.
  await chmod(dir, 0o755);
  /** What to undo, in the order done; undone newest first, each whatever the others did. */
  const undo = [undoOnInterrupt(() => rm(dir, { recursive: true, force: true }))];
  try {
    const services = await startOwnServices(dir);
    undo.push(services.stop);
    const urls = { databaseUrl: services.postgres.url, redisUrl: services.redis.url, amqpUrl: services.rabbitmq.url };
    // The database is migrated and seeded before any instance starts, with tokens signed by the cluster's JWT_SECRET.
    const prepared = await prepareApi({ instances: 2, ...urls }, async (database, mint) => {
      const seeded = await seedRooms(database.db, plan);
      return { ...seeded, tokens: await mint(seeded.userIds) };
    });
    undo.push(prepared.remove);
    const cluster = await startCluster({
      instances: 2,
      dataDir: prepared.databaseEnv.DATA_DIR!,
      idPrefix: `memory-${process.pid}`,
      // As deploy/docker-compose.yml runs the API (startCluster's own default is development).
      env: { ...prepared.env, ...apiEnv },
    });
    undo.push(undoOnInterrupt(() => cluster.stop()));
    const deployment = {
      port: Number(new URL(cluster.url).port),
      api: cluster.instances.map((instance, i) => ({ name: instance.name, pid: instance.child.pid!, port: cluster.ports[i]! })),
      parts: clusterParts(cluster, services),
    };
    return await measure(deployment, 'ready: 2 API instances and the services started, users seeded', plan, prepared.seeded, options);
  } finally {
    for (const step of undo.reverse()) await step().catch((error: Error) => console.error(`cleaning up: ${error.message}`));
  }
}

/** The installed versions of `packages`, from dpkg (these machines run Debian); none where it is not there. */
function packageVersions(packages: string[]): Record<string, string> {
  const { stdout } = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Version}\n', ...packages], { encoding: 'utf8' });
  return Object.fromEntries((stdout ?? '').split('\n').flatMap((line) => (line.includes(' ') ? [line.split(' ', 2) as [string, string]] : [])));
}

function header(cluster: boolean, users: number): string {
  const lines = cluster
    ? [
        'YOUng Chat memory: the real-services cluster, started by this run with the settings in deploy/ ' +
          '(2 API instances behind nginx, PostgreSQL, Redis, RabbitMQ)',
        ...environmentLines(packageVersions(CLUSTER_PACKAGES)),
        `${users} users in rooms of ${ROOM_SIZE}, through nginx; RSS and PSS summed over every process of the ` +
          `deployment, sampled every ${SAMPLE_MS} ms`,
      ]
    : [
        'YOUng Chat memory: the embedded server (PGlite), started by `npm start`',
        ...environmentLines({ '@electric-sql/pglite': versionOf('@electric-sql/pglite') }),
        `${users} users in rooms of ${ROOM_SIZE}; RSS of the server process sampled every ${SAMPLE_MS} ms`,
      ];
  return [...lines, ''].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: FLAGS });
  const int = (flag: Exclude<keyof typeof FLAGS, 'cluster'>, min: number, max: number): number => {
    const n = Number(values[flag]);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${flag}: expected a whole number from ${min} to ${max}`);
    return n;
  };
  const options: Options = {
    users: int('users', 2, 20_000),
    rate: int('rate', 1, 10_000),
    seconds: int('seconds', 1, 120),
    idleSeconds: int('idle-seconds', 0, 120),
  };
  const limitMb = values['limit-mb'] === undefined ? DEFAULT_LIMIT_MB[values.cluster ? 'cluster' : 'embedded'] : int('limit-mb', 1, 1_000_000);
  requireOpenFiles(options.users);
  const plan = planRooms(options.users, ROOM_SIZE);
  console.log(header(values.cluster, options.users));
  const { readings, peak, load } = await (values.cluster ? clustered : embedded)(plan, options);
  const breakdown = peak ? ['', 'chatting, at the sample of peak RSS, part by part:', formatTable(breakdownRows(peak))] : [];
  console.log([formatTable(readingRows(readings, limitMb)), ...breakdown, '', ...load].join('\n'));
  const over = overLimit(readings, limitMb);
  if (over.length > 0) {
    console.error(`\nover ${limitMb} MB: ${over.map((r) => r.phase).join('; ')}`);
    process.exitCode = 1;
  }
}

cleanUpOn(['SIGINT', 'SIGTERM']);
try {
  await main();
} catch (error) {
  console.error(`memory run failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
// Clients the tRPC client would keep reconnecting (after a failure) must not keep the run alive.
process.exit();
