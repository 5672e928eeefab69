// DESIGN §8 memory: what one idle subscribed socket costs the server. N users connect and subscribe to
// events.live, then nothing happens; the server's RSS growth ÷ N is the figure (≤ 30 KB), beside a bare `ws`
// server holding the same sockets in the same rooms, in the same run.
import path from 'node:path';
import { seedRooms } from '../api/database.ts';
import { prepareApi, withApi, type ServiceUrls } from '../api/deployment.ts';
import { bareWsChat, trpcChat, type ChatClient, type Connect } from '../clients/chat-clients.ts';
import { CONNECT_TIMEOUT_MS, connectAll, describeFailures, type Crowd } from '../clients/connect-all.ts';
import { GC_ON_SIGNAL, SERVERS_DIR } from '../paths.ts';
import { sleep } from '../pool.ts';
import { requireOpenFiles, processCpuSeconds, rssMb } from '../proc.ts';
import { spawnServer } from '../process-stats.ts';
import { environmentLines, ms, servicesLine, versionOf } from '../report.ts';
import { settle } from '../resources.ts';
import { describeRooms, planRooms, type RoomPlan, type RoomSize } from '../room-plan.ts';
import { formatTable } from '../text-table.ts';

export interface SocketsOptions extends ServiceUrls {
  clients: number;
  roomSize: RoomSize;
}

/** Connected and closed before measuring, so that compiling the connect path is not charged to the sockets. */
const WARM_UP_SOCKETS = 20;
/** Two RSS readings this far apart, each after a full GC; the second counts, their difference shows how settled it was. */
const RSS_READINGS_APART_MS = 3_000;
/** A full GC of a few hundred MB is done well within this. */
const GC_MS = 1_000;

interface Measured {
  target: string;
  connected: number;
  failures: Map<string, number>;
  connect: { p50: number; p99: number };
  cpuMsPerConnect: number;
  rssBefore: number;
  rssAfter: number;
  drift: number;
}

/** RSS once the process is idle and collected its garbage (servers/gc-on-signal.mjs): read twice, a few seconds apart. */
async function settledRss(pid: number): Promise<{ mb: number; drift: number }> {
  const collected = async () => {
    process.kill(pid, 'SIGUSR2');
    await sleep(GC_MS);
    return rssMb(pid);
  };
  await settle([pid]);
  const first = await collected();
  await sleep(RSS_READINGS_APART_MS);
  const mb = await collected();
  return { mb, drift: mb - first };
}

/** Connects every client to the server `pid` serves, and reads what that cost it. */
async function measure(target: string, pid: number, clients: number, connect: Connect): Promise<Measured> {
  const handlers = { deliver: () => {}, note: () => {} };
  const warm = await connectAll(Math.min(WARM_UP_SOCKETS, clients), (i) => connect(i, handlers));
  for (const client of warm.clients) client?.close();
  const before = await settledRss(pid);
  const cpuBefore = processCpuSeconds(pid);
  let crowd: Crowd<ChatClient> | undefined;
  try {
    crowd = await connectAll(clients, (i) => connect(i, handlers));
    const cpuSeconds = processCpuSeconds(pid) - cpuBefore;
    const after = await settledRss(pid);
    const connected = crowd.latency.count;
    const latency = crowd.latency.summary();
    return {
      target,
      connected,
      failures: crowd.failures,
      connect: latency,
      cpuMsPerConnect: (1000 * cpuSeconds) / connected,
      rssBefore: before.mb,
      rssAfter: after.mb,
      drift: after.drift,
    };
  } finally {
    for (const client of crowd?.clients ?? []) client?.close();
  }
}

function row(m: Measured): Record<string, string | number> {
  return {
    target: m.target,
    sockets: m.connected,
    failed: [...m.failures.values()].reduce((a, b) => a + b, 0),
    'connect p50/p99 ms': `${ms(m.connect.p50)} / ${ms(m.connect.p99)}`,
    'CPU ms per connect': m.cpuMsPerConnect.toFixed(2),
    'RSS before MB': Math.round(m.rssBefore),
    'RSS after MB': Math.round(m.rssAfter),
    'KB per socket': ((1024 * (m.rssAfter - m.rssBefore)) / m.connected).toFixed(1),
    'RSS drift MB (3 s)': m.drift.toFixed(1),
  };
}

async function measureApi(options: SocketsOptions, plan: RoomPlan): Promise<Measured> {
  const prepared = await prepareApi(
    { instances: 1, databaseUrl: options.databaseUrl, amqpUrl: options.amqpUrl, redisUrl: options.redisUrl, gcOnSignal: true },
    async (database, mint) => {
      const seeded = await seedRooms(database.db, plan);
      return { ...seeded, tokens: await mint(seeded.userIds) };
    },
  );
  try {
    const { userIds, tokens } = prepared.seeded;
    return await withApi(prepared, (api) =>
      measure('YOUng Chat (tRPC ws, events.live)', api.resources.serverPids[0]!, options.clients, trpcChat(api.ports, userIds, tokens, CONNECT_TIMEOUT_MS)),
    );
  } finally {
    await prepared.remove();
  }
}

export async function runSockets(options: SocketsOptions): Promise<void> {
  const limit = requireOpenFiles(options.clients);
  const plan = planRooms(options.clients, options.roomSize);
  console.log(
    [
      'YOUng Chat load test: idle subscribed sockets',
      ...environmentLines({ '@trpc/server': versionOf('@trpc/server'), ws: versionOf('ws') }),
      `${options.clients} users in ${describeRooms(options.roomSize)}, each one socket · open files limit ${limit} · ${servicesLine(options)}`,
      `RSS read once the server is idle, after a full GC, twice ${RSS_READINGS_APART_MS / 1000} s apart; ${WARM_UP_SOCKETS} warm-up sockets came and went before`,
      '',
    ].join('\n'),
  );
  const bare = await spawnServer([path.join(SERVERS_DIR, 'bare-ws-rooms.ts')], {}, GC_ON_SIGNAL);
  let bareResult: Measured;
  try {
    const roomsOf = (user: number) => plan.roomsOf[user]!.map((r) => `r${r}`);
    bareResult = await measure('bare ws (joined, no subscription)', bare.child.pid!, options.clients, bareWsChat(() => bare.port, roomsOf, CONNECT_TIMEOUT_MS));
  } finally {
    await bare.stop();
  }
  const api = await measureApi(options, plan);
  console.log(formatTable([row(bareResult), row(api)]));
  for (const m of [bareResult, api]) if (m.failures.size > 0) console.log(`${m.target}: failed connects: ${describeFailures(m.failures)}`);
  const perSocket = (1024 * (api.rssAfter - api.rssBefore)) / api.connected;
  console.log(`YOUng Chat: ${perSocket.toFixed(1)} KB per idle subscribed socket (DESIGN §8: ≤ 30 KB) ${perSocket <= 30 ? 'met' : 'missed'}`);
  console.log('RSS includes what the allocator keeps after a GC: the drift column shows how settled it was.');
}
