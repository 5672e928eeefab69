// Issue 11 / DESIGN §7.11–12: faults under steady chat traffic, on two API instances behind nginx (the cluster of
// `npm run cluster`, deploy/nginx/youngchat.conf). The API reaches PostgreSQL, Redis and RabbitMQ through TCP proxies
// this scenario owns, so a cut or a stall never touches the machine's shared services. Each fault gets its own books:
// sent, acknowledged, persisted, delivered, lost, duplicated, out of order, and how long until every client had
// everything again. Any loss, duplicate or reordering fails the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startCluster, type Cluster } from '../../../scripts/cluster.mjs';
import { proxyInFrontOf, throughProxy, type TcpProxy } from '../../../apps/api/test/tcp-proxy.ts';
import { seedRooms, type SeededRooms } from '../api/database.ts';
import { prepareApi, type ServiceUrls } from '../api/deployment.ts';
import { connectCrowd, type Crowd } from '../clients/booked-crowd.ts';
import { httpSend, sendToRandomRoom, sendToRoom, type ChatClient } from '../clients/chat-clients.ts';
import { describeFailures } from '../clients/connect-all.ts';
import { appCodeOf } from '../clients/live-client.ts';
import { drain } from '../drain.ts';
import { FanoutLedger } from '../metrics.ts';
import { pace } from '../pacer.ts';
import { sleep } from '../pool.ts';
import { environmentLines, P99_BAR_MS } from '../report.ts';
import { describeRooms, planRooms, type RoomPlan, type RoomSize } from '../room-plan.ts';
import { formatTable } from '../text-table.ts';

export const FAULT_NAMES = ['kill', 'term', 'broker', 'database', 'redis'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export interface ChaosOptions extends Required<ServiceUrls> {
  users: number;
  roomSize: RoomSize;
  /** Sends/s across all users, before, during and after each fault. */
  rate: number;
  /** Seconds of steady traffic before each fault, and again after it ends. */
  seconds: number;
  faults: FaultName[];
  /** Overrides every cut's and stall's length (the short versions in `npm test`). */
  faultSeconds?: number | undefined;
}

export interface FaultResult {
  fault: FaultName;
  sent: number;
  acknowledged: number;
  persisted: number;
  /** Owed deliveries (acknowledged sends × other members) and how many arrived. */
  owed: number;
  delivered: number;
  /** Receivers who got everything owed to them, of all receivers. */
  receiversComplete: number;
  receivers: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** From the fault's end until nothing acknowledged (older than the live bar) was missing anywhere; null: never. */
  caughtUpMs: number | null;
  /** /healthz answers seen from the instances while the fault lasted, by status (0: no answer). */
  healthDuring: Map<number, number>;
  /** From the fault's end until every instance answered /healthz 200 again; null: not within the run. */
  healthyAfterMs: number | null;
  notes: Map<string, number>;
}

/** Past this, a send still unanswered counts as failed (a real client would go on trying). */
const SEND_DEADLINE_MS = 45_000;
const RETRY_AFTER_MS = 500;
const HEALTH_EVERY_MS = 250;
const CATCH_UP_LIMIT_MS = 60_000;

interface Services {
  database: TcpProxy;
  redis: TcpProxy;
  broker: TcpProxy;
}

/**
 * What each fault does, and for how long (DESIGN §7 and issue 11's list). `run` resolves when the fault ends (the
 * kill, the drain, the end of a cut) with what brings the system back (the instance started again), which the
 * phase awaits before it closes its books.
 */
type Recovery = { back: Promise<unknown> } | undefined;
const FAULTS: Record<FaultName, { what: (s: number | undefined) => string; run: (cluster: Cluster, services: Services, seconds: number | undefined) => Promise<Recovery> }> = {
  kill: {
    what: () => 'API instance 1 killed with SIGKILL (started again 2 s later)',
    run: async (cluster) => {
      await cluster.instances[0]!.stop('SIGKILL');
      return { back: sleep(2_000).then(() => cluster.restart(0)) };
    },
  },
  term: {
    what: () => 'API instance 2 stopped with SIGTERM (it drains and sends its clients elsewhere), then started again',
    run: async (cluster) => {
      await cluster.instances[1]!.stop('SIGTERM');
      return { back: cluster.restart(1) };
    },
  },
  broker: { what: (s) => `RabbitMQ cut for ${s ?? 10} s`, run: (_, services, s) => outage(services.broker, 'cut', s ?? 10) },
  database: { what: (s) => `PostgreSQL stalled for ${s ?? 5} s`, run: (_, services, s) => outage(services.database, 'stall', s ?? 5) },
  redis: { what: (s) => `Redis cut for ${s ?? 5} s`, run: (_, services, s) => outage(services.redis, 'cut', s ?? 5) },
};

async function outage(proxy: Services['database'], how: 'cut' | 'stall', seconds: number): Promise<Recovery> {
  if (how === 'cut') proxy.cut();
  else proxy.stall();
  await sleep(seconds * 1000);
  if (how === 'cut') proxy.restore();
  else proxy.resume();
  return undefined;
}

/** messages.send as a person's app does it: the same clientId again after a failure, until it is answered. */
function persistent(send: ChatClient['send'], acked: Set<string>, note: (what: string) => void): ChatClient['send'] {
  return async (roomId, clientId, body) => {
    const until = performance.now() + SEND_DEADLINE_MS;
    for (;;) {
      try {
        await send(roomId, clientId, body);
        acked.add(clientId);
        return;
      } catch (error) {
        note(`send retried after: ${appCodeOf(error)}`);
        if (performance.now() > until) throw error;
        await sleep(RETRY_AFTER_MS);
      }
    }
  };
}

/** Every instance's /healthz status, sampled until stopped: what nginx (or an orchestrator) would have seen. */
function watchHealth(ports: number[]) {
  const seen = new Map<number, number>();
  /** Since when every sample has been all 200s (null: the last one was not), and when the last was taken. */
  let healthySince: number | null = null;
  let lastAt = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const at = performance.now();
      const statuses = await Promise.all(
        ports.map((port) =>
          fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) }).then(
            (r) => r.status,
            () => 0,
          ),
        ),
      );
      for (const status of statuses) seen.set(status, (seen.get(status) ?? 0) + 1);
      healthySince = statuses.every((st) => st === 200) ? (healthySince ?? at) : null;
      lastAt = at;
      await sleep(HEALTH_EVERY_MS);
    }
  })();
  return {
    seen,
    /** When every instance became healthy for good, as seen by a sample taken after `after`; null if not yet. */
    healthyAfter: (after: number) => (lastAt > after && healthySince !== null ? Math.max(healthySince, after) : null),
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function persistedCount(databaseUrl: string, clientIds: Set<string>): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from messages where client_id = any($1::uuid[])', [[...clientIds]]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

async function runFault(
  fault: FaultName,
  options: ChaosOptions,
  context: { cluster: Cluster; services: Services; crowd: Crowd; plan: RoomPlan; seeded: SeededRooms & { tokens: string[] }; databaseUrl: string },
): Promise<FaultResult> {
  const { cluster, services, crowd, plan, seeded } = context;
  const ledger = new FanoutLedger();
  crowd.ledger = ledger;
  crowd.notes = new Map();
  const note = (what: string) => crowd.notes.set(what, (crowd.notes.get(what) ?? 0) + 1);
  const acked = new Set<string>();
  const port = Number(new URL(cluster.url).port);
  const sendAs = seeded.tokens.map((token) => persistent(httpSend(port, token), acked, note));
  const books = { ledger, plan, roomIds: seeded.roomIds, note };
  // Every member's stream gets a position in this phase before the fault, so a reconnect resumes rather than starts.
  plan.rooms.forEach((room, index) => sendToRoom(books, room.members[0]!, index, sendAs[room.members[0]!]!));
  await drain(ledger);
  const users = plan.roomsOf.length;
  const sending = pace(options.rate, (n) => {
    const user = (n * 7919) % users; // spread over everyone, not just the first
    sendToRandomRoom(books, user, sendAs[user]!);
  });
  const health = watchHealth(cluster.ports);
  try {
    await sleep(options.seconds * 1000);
    const healthBefore = new Map(health.seen);
    const recovery = await FAULTS[fault].run(cluster, services, options.faultSeconds);
    const endedAt = performance.now();
    const healthDuring = new Map([...health.seen].map(([status, n]) => [status, n - (healthBefore.get(status) ?? 0)] as const).filter(([, n]) => n > 0));
    let caughtUpAt: number | null = null;
    let healthyAt: number | null = null;
    const steadyUntil = endedAt + options.seconds * 1000;
    const giveUpAt = endedAt + CATCH_UP_LIMIT_MS;
    // Traffic goes on for the steady seconds, and longer if need be, until everyone has caught up and every
    // instance is healthy again (or the limit passes).
    for (let now = performance.now(); now < giveUpAt && !(now >= steadyUntil && caughtUpAt !== null && healthyAt !== null); now = performance.now()) {
      await sleep(50);
      if (caughtUpAt === null && ledger.missingSentBefore(performance.now() - P99_BAR_MS) === 0) caughtUpAt = performance.now();
      healthyAt = health.healthyAfter(endedAt);
    }
    await recovery?.back;
    sending.stop();
    // Sends still being retried finish (or give up) first; then what is owed has a quiet moment to arrive.
    const deadline = performance.now() + SEND_DEADLINE_MS;
    while (ledger.unanswered > 0 && performance.now() < deadline) await sleep(100);
    await drain(ledger);
    const persisted = await persistedCount(context.databaseUrl, acked);
    return {
      fault,
      sent: ledger.sent,
      acknowledged: ledger.acked,
      persisted,
      owed: ledger.expected,
      delivered: ledger.arrived,
      receiversComplete: users - ledger.usersMissing(),
      receivers: users,
      lost: ledger.lost + (ledger.acked - persisted),
      duplicated: ledger.duplicates,
      outOfOrder: ledger.outOfOrder,
      caughtUpMs: caughtUpAt === null ? null : Math.max(0, Math.round(caughtUpAt - endedAt)),
      healthDuring,
      healthyAfterMs: healthyAt === null ? null : Math.max(0, Math.round(healthyAt - endedAt)),
      notes: crowd.notes,
    };
  } finally {
    sending.stop();
    await health.stop();
  }
}

export const chaosFailed = (r: FaultResult) => r.lost > 0 || r.duplicated > 0 || r.outOfOrder > 0;

function report(results: FaultResult[], options: ChaosOptions): void {
  const after = (v: number | null) => (v === null ? 'never' : `${(v / 1000).toFixed(1)} s`);
  const rows = results.map((r) => ({
    fault: r.fault,
    sent: r.sent,
    acked: r.acknowledged,
    persisted: r.persisted,
    'delivered / owed': `${r.delivered} / ${r.owed}`,
    'receivers complete': `${r.receiversComplete} / ${r.receivers}`,
    lost: r.lost,
    duplicated: r.duplicated,
    'out of order': r.outOfOrder,
    'caught up after': after(r.caughtUpMs),
    '/healthz during (status × samples)': [...r.healthDuring].map(([status, n]) => `${status || 'none'} × ${n}`).join(', '),
    'all healthy after': after(r.healthyAfterMs),
  }));
  console.log(formatTable(rows));
  for (const r of results) {
    console.log(`${r.fault}: ${FAULTS[r.fault].what(options.faultSeconds)}${r.notes.size > 0 ? ` · counted: ${describeFailures(r.notes)}` : ''}`);
  }
  const failed = results.filter(chaosFailed);
  console.log(failed.length === 0 ? 'nothing lost, duplicated or reordered' : `FAILED: ${failed.map((r) => r.fault).join(', ')} lost, duplicated or reordered messages`);
}

/** Runs each fault in turn on one cluster, prints the books, and returns them (a failed fault sets the exit code). */
export async function runChaos(options: ChaosOptions): Promise<FaultResult[]> {
  const plan = planRooms(options.users, options.roomSize);
  console.log(
    [
      'YOUng Chat load test: chaos',
      ...environmentLines({}),
      `${options.users} users in ${describeRooms(options.roomSize)}, each with a live WebSocket through nginx; ${options.rate} sends/s over HTTP through nginx`,
      `2 API instances behind nginx on PostgreSQL, Redis and RabbitMQ, each reached through a TCP proxy this run owns`,
      `per fault: ${options.seconds} s of traffic, the fault, ${options.seconds} s more; faults: ${options.faults.join(', ')}`,
      '',
    ].join('\n'),
  );
  const services: Services = {
    database: await proxyInFrontOf(options.databaseUrl),
    redis: await proxyInFrontOf(options.redisUrl),
    broker: await proxyInFrontOf(options.amqpUrl),
  };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'youngchat-chaos-'));
  const prepared = await prepareApi({ instances: 2, ...options }, async (database, mint) => {
    const seeded = await seedRooms(database.db, plan);
    return { ...seeded, tokens: await mint(seeded.userIds) };
  });
  let cluster: Cluster | undefined;
  const crowd: Crowd = { ledger: new FanoutLedger(), notes: new Map(), openAt: [], backAt: [], dropAt: undefined };
  // What the instances logged as errors, counted in the current fault's notes.
  const onLine = (instance: string, line: string) => {
    if (!line.includes('"level":50') && !line.includes('"level":60')) return;
    const entry = JSON.parse(line) as { msg?: string; path?: string; err?: { message?: string } };
    const what = `${instance} logged: ${[entry.path, entry.msg, entry.err?.message].filter(Boolean).join(' · ')}`;
    crowd.notes.set(what, (crowd.notes.get(what) ?? 0) + 1);
  };
  let clients: ({ close(): void } | undefined)[] = [];
  try {
    const env = prepared.env;
    cluster = await startCluster({
      instances: 2,
      dataDir,
      idPrefix: `chaos-${process.pid}`,
      onLine,
      env: {
        ...env,
        DATABASE_URL: throughProxy(env.DATABASE_URL!, services.database),
        REDIS_URL: throughProxy(env.REDIS_URL!, services.redis),
        AMQP_URL: throughProxy(env.AMQP_URL!, services.broker),
        // Restarts should be quick: the clients reconnect elsewhere within this.
        SHUTDOWN_GRACE_MS: '5000',
      },
    });
    const wsUrl = `${cluster.url.replace('http', 'ws')}/trpc`;
    const connected = await connectCrowd(() => wsUrl, plan, prepared.seeded, crowd);
    clients = connected.clients;
    if (connected.failures.size > 0) throw new Error(`clients did not connect: ${describeFailures(connected.failures)}`);
    const results: FaultResult[] = [];
    for (const fault of options.faults) {
      results.push(await runFault(fault, options, { cluster, services, crowd, plan, seeded: prepared.seeded, databaseUrl: prepared.databaseEnv.DATABASE_URL! }));
    }
    report(results, options);
    if (results.some(chaosFailed)) process.exitCode = 1;
    return results;
  } catch (error) {
    if (cluster) console.error(cluster.output().split('\n').slice(-60).join('\n'));
    throw error;
  } finally {
    for (const client of clients) client?.close();
    await cluster?.stop();
    await prepared.remove();
    for (const proxy of Object.values(services)) await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
