// `npm run memory -w @youngchat/loadtest -- [--users 1000] [--rate 200] [--seconds 30] [--idle-seconds 10] [--limit-mb 256]`
// DESIGN §8 and issue 11: the embedded server's RSS, started by `npm start` itself (with the node flags and
// environment its script sets), from its first start on an empty DATA_DIR, at idle and while users chat. RSS is the
// server process's (npm, its parent, is not counted): PGlite's worker is a thread inside it. Exits
// 1 when a checked figure is over --limit-mb. Bounded in time, on 127.0.0.1; removes what it made, on Ctrl-C too.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { webBuildIsStale } from '../../scripts/stale.mjs';
import { seedRooms } from './api/database.ts';
import { BASE_ENV } from './api/deployment.ts';
import { createPgliteDatabase } from './api/internals.ts';
import { mintAccessTokens } from './api/sessions.ts';
import { cleanUpOn, undoOnInterrupt } from './cleanup.ts';
import { sendToRandomRoom, trpcChat, type ChatClient } from './clients/chat-clients.ts';
import { CONNECT_TIMEOUT_MS, connectAll, describeFailures } from './clients/connect-all.ts';
import { drain } from './drain.ts';
import { overLimit, readingRows, summarize, type Reading } from './memory-report.ts';
import { FanoutLedger } from './metrics.ts';
import { pace } from './pacer.ts';
import { ensureServerBuilt, REPO_ROOT } from './paths.ts';
import { sleep } from './pool.ts';
import { descendantPids, peakRssMb, processCpuSeconds, requireOpenFiles, rssMb } from './proc.ts';
import { spawnListening } from './process-stats.ts';
import { environmentLines, ms, versionOf } from './report.ts';
import { planRooms, type RoomPlan } from './room-plan.ts';
import { formatTable } from './text-table.ts';

const FLAGS = {
  users: { type: 'string', default: '1000' },
  // A steady tenth or so of the API's capacity on PGlite here (README): a busy chat, not a capacity test.
  rate: { type: 'string', default: '200' },
  // 24,000 sends: past the 20,000 recent events the API keeps in memory (STREAM_MEMORY_EVENTS), so RSS has levelled.
  seconds: { type: 'string', default: '120' },
  'idle-seconds': { type: 'string', default: '10' },
  'limit-mb': { type: 'string', default: '256' },
} as const;

const ROOM_SIZE = 10;
const SAMPLE_MS = 250;

interface Options {
  users: number;
  rate: number;
  seconds: number;
  idleSeconds: number;
}

/** RSS summed over `pids`, so that a deployment of several processes (a cluster) is read the same way. */
const rssOf = (pids: number[]) => pids.reduce((sum, pid) => sum + rssMb(pid), 0);

/** Samples rssOf(pids) every SAMPLE_MS; the returned function stops and hands the samples over. */
function sampleRss(pids: number[]): () => number[] {
  const samples = [rssOf(pids)];
  const timer = setInterval(() => samples.push(rssOf(pids)), SAMPLE_MS);
  return () => {
    clearInterval(timer);
    return [...samples, rssOf(pids)];
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

/** `npm start` in the repository, and the pid of the server it runs (a first start's initdb is another process). */
async function npmStart(env: Record<string, string>) {
  const server = await spawnListening('npm', ['start', '--silent'], env, REPO_ROOT);
  const pid = descendantPids(server.child.pid!).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('scripts/start.mjs'));
  if (pid === undefined) {
    await server.stop();
    throw new Error('npm start runs no scripts/start.mjs');
  }
  return { ...server, pid };
}

/** The first start: initdb and the migrations on an empty DATA_DIR, then nothing to do. */
async function firstStart(env: Record<string, string>, options: Options): Promise<Reading[]> {
  const server = await npmStart(env);
  try {
    const pid = server.pid;
    const ready = rssMb(pid);
    await sleep(options.idleSeconds * 1000);
    return [
      { phase: 'first start (empty DATA_DIR): ready', rssMb: ready, checked: true },
      { phase: `first start: idle ${options.idleSeconds} s later`, rssMb: rssMb(pid), checked: true },
      // initdb runs in a child process of the server, which this does not count (decision 0008).
      { phase: 'first start: peak of the server process', rssMb: peakRssMb(pid), checked: false },
    ];
  } finally {
    await server.stop();
  }
}

/** The users and their rooms in the DATA_DIR the first start made, with a token each; the server must be stopped. */
async function seed(dataDir: string, plan: RoomPlan, jwtSecret: string) {
  const database = await createPgliteDatabase({ dataDir });
  try {
    const seeded = await seedRooms(database.db, plan);
    return { ...seeded, tokens: await mintAccessTokens(seeded.userIds, { jwtSecret, database, redis: undefined }) };
  } finally {
    await database.close();
  }
}

/** Restarts on the seeded DATA_DIR: every user connected and idle, then a steady chat. */
async function chat(env: Record<string, string>, plan: RoomPlan, seeded: Awaited<ReturnType<typeof seed>>, options: Options) {
  const server = await npmStart(env);
  let clients: (ChatClient | undefined)[] = [];
  try {
    const pids = [server.pid];
    const ready = rssOf(pids);
    const ledger = new FanoutLedger();
    const notes = new Map<string, number>();
    const note = (what: string) => notes.set(what, (notes.get(what) ?? 0) + 1);
    const connect = trpcChat([server.port], seeded.userIds, seeded.tokens, CONNECT_TIMEOUT_MS);
    const crowd = await connectAll(options.users, (user) =>
      connect(user, { deliver: (d) => ledger.deliver(String(user), d.roomId, d.clientId, d.seq, performance.now()), note }),
    );
    clients = crowd.clients;
    if (crowd.failures.size > 0) throw new Error(`users could not connect: ${describeFailures(crowd.failures)}`);
    await sleep(options.idleSeconds * 1000);
    const connected = rssOf(pids);

    const cpuBefore = processCpuSeconds(pids[0]!);
    const stopSampling = sampleRss(pids);
    // Open loop, but a server that falls a second behind gets no more queued: the run stays bounded.
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
    const chatting = summarize(stopSampling());
    const heap = await heapOf(server.port);
    const cpuPercent = ((processCpuSeconds(pids[0]!) - cpuBefore) / options.seconds) * 100;
    await drain(ledger);
    if (skipped > 0) note('sends skipped: a second of sends unanswered');
    const deliver = ledger.latency.summary();
    const load = [
      `${ledger.acked} sends acknowledged, ${ledger.failed} failed, ${ledger.unanswered} unanswered; ` +
        `${ledger.arrived} of ${ledger.expected} deliveries owed arrived, send→deliver p50 ${ms(deliver.p50)} ms, ` +
        `p99 ${ms(deliver.p99)} ms; server CPU ${Math.round(cpuPercent)}% of a core while chatting`,
      `main thread at the end of chatting: ${heap}`,
      ...[...notes].map(([what, n]) => `${n} × ${what}`),
    ];
    const readings: Reading[] = [
      { phase: 'restart (seeded DATA_DIR): ready', rssMb: ready, checked: true },
      { phase: `${options.users} users connected, idle ${options.idleSeconds} s`, rssMb: connected, checked: true },
      { phase: `chatting ${options.rate} sends/s for ${options.seconds} s: p50`, rssMb: chatting.p50, checked: true },
      { phase: 'chatting: peak', rssMb: chatting.peak, checked: true },
    ];
    return { readings, load };
  } finally {
    for (const client of clients) client?.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: FLAGS });
  const int = (flag: keyof typeof FLAGS, min: number, max: number): number => {
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
  const limitMb = int('limit-mb', 1, 1_000_000);
  requireOpenFiles(options.users);
  const plan = planRooms(options.users, ROOM_SIZE);
  console.log(
    [
      'YOUng Chat memory: the embedded server (PGlite), started by `npm start`',
      ...environmentLines({ '@electric-sql/pglite': versionOf('@electric-sql/pglite') }),
      `${options.users} users in rooms of ${ROOM_SIZE}; RSS of the server process sampled every ${SAMPLE_MS} ms`,
      '',
    ].join('\n'),
  );
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
    const { readings, load } = await chat(env, plan, seeded, options);
    const all = [...first, ...readings];
    console.log([formatTable(readingRows(all, limitMb)), '', ...load].join('\n'));
    const over = overLimit(all, limitMb);
    if (over.length > 0) {
      console.error(`\nover ${limitMb} MB: ${over.map((r) => r.phase).join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await removeDir();
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
