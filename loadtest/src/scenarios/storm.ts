// DESIGN §8 reconnect storm: N users connected and subscribed to events.live in their rooms, a steady modest
// stream of sends (over HTTP, so that it does not depend on the sockets); then every socket is cut at once, as a
// network would, and every client reconnects at once, resuming after the last position it saw (the wsLink does
// that by itself). Measured: how long until every client is back, and until every acknowledged message has
// reached every member (once, in order), with errors by code, resyncs, and the API's CPU and memory meanwhile.
import { seedRooms, type SeededRooms } from '../api/database.ts';
import { prepareApi, withApi, type RunningApi, type ServiceUrls } from '../api/deployment.ts';
import { limitedBy, type ResourceUsage } from '../bottleneck.ts';
import { httpSend, sendToRandomRoom, sendToRoom } from '../clients/chat-clients.ts';
import { connectCrowd, type Crowd } from '../clients/booked-crowd.ts';
import { describeFailures } from '../clients/connect-all.ts';
import { drain } from '../drain.ts';
import { FanoutLedger, LatencyRecorder } from '../metrics.ts';
import { pace } from '../pacer.ts';
import { sleep } from '../pool.ts';
import { requireOpenFiles, rssMb } from '../proc.ts';
import type { ServerUsage } from '../process-stats.ts';
import { environmentLines, ms, P99_BAR_MS, servicesLine, versionOf } from '../report.ts';
import { settle, watchResources } from '../resources.ts';
import { describeRooms, planRooms, type RoomPlan, type RoomSize } from '../room-plan.ts';

export interface StormOptions extends ServiceUrls {
  clients: number;
  roomSize: RoomSize;
  /** Sends/s across the senders, before and during the storm. */
  rate: number;
  /** Seconds of steady sending before the drop. */
  seconds: number;
}

const SENDERS = 100;
/** DESIGN §8: back and caught up within this. */
const TARGET_MS = 10_000;
/** Past this the storm is over whatever the state: the run stays bounded. */
const CATCH_UP_LIMIT_MS = 30_000;
const CHECK_MS = 50;

async function storm(options: StormOptions, plan: RoomPlan, api: RunningApi, seeded: SeededRooms & { tokens: string[] }): Promise<void> {
  const crowd: Crowd = { ledger: new FanoutLedger(), notes: new Map(), openAt: [], backAt: [], dropAt: undefined };
  const connected = await connectCrowd((user) => `ws://127.0.0.1:${api.ports[user % api.ports.length]}/trpc`, plan, seeded, crowd);
  const clients = connected.clients;
  try {
    const connect = connected.latency.summary();
    console.log(
      `connected ${connected.latency.count} of ${options.clients}: p50/p99 ${ms(connect.p50)} / ${ms(connect.p99)} ms` +
        (connected.failures.size > 0 ? ` · failed: ${describeFailures(connected.failures)}` : ''),
    );
    await settle(api.resources.serverPids);
    const note = (what: string) => crowd.notes.set(what, (crowd.notes.get(what) ?? 0) + 1);
    const books = { ledger: crowd.ledger, plan, roomIds: seeded.roomIds, note };
    const senders = Array.from({ length: Math.min(SENDERS, options.clients) }, (_, i) => {
      const user = Math.floor((i * options.clients) / Math.min(SENDERS, options.clients));
      return { user, send: httpSend(api.ports[i % api.ports.length]!, seeded.tokens[user]!) };
    });
    // DESIGN §8's clients come back "with their lastEventId": a first message in every room gives every member one.
    plan.rooms.forEach((room, index) => {
      const sender = room.members[0]!;
      sendToRoom(books, sender, index, httpSend(api.ports[index % api.ports.length]!, seeded.tokens[sender]!));
    });
    await drain(crowd.ledger);
    const sending = pace(options.rate, (n) => {
      const sender = senders[n % senders.length]!;
      sendToRandomRoom(books, sender.user, sender.send);
    });
    await sleep(options.seconds * 1000);

    // The storm: every socket cut in the same moment, the API's CPU and memory watched until it is over.
    const rssBefore = api.resources.serverPids.reduce((sum, pid) => sum + rssMb(pid), 0);
    let rssMax = rssBefore;
    const watch = api.watch();
    await watch.start();
    const resources = await watchResources(api.resources);
    crowd.dropAt = performance.now();
    for (const client of clients) client?.drop();
    const live = clients.flatMap((c, i) => (c ? [i] : []));
    let allBackAt: number | undefined;
    let caughtUpAt: number | undefined;
    while (caughtUpAt === undefined && performance.now() - crowd.dropAt < CATCH_UP_LIMIT_MS) {
      await sleep(CHECK_MS);
      rssMax = Math.max(rssMax, api.resources.serverPids.reduce((sum, pid) => sum + rssMb(pid), 0));
      if (allBackAt === undefined && live.every((i) => crowd.backAt[i] !== undefined)) allBackAt = Math.max(...live.map((i) => crowd.backAt[i]!));
      // Caught up: back, and nothing acknowledged is missing anywhere but what is younger than the live bar.
      if (allBackAt !== undefined && crowd.ledger.missingSentBefore(performance.now() - P99_BAR_MS) === 0) caughtUpAt = performance.now();
    }
    const usage = await resources.stop();
    const server = await watch.stop();
    sending.stop();
    await drain(crowd.ledger);
    report(options, crowd, { allBackAt, caughtUpAt, rssBefore, rssMax, usage, server, liveClients: live.length });
  } finally {
    for (const client of clients) client?.close();
  }
}

function report(
  options: StormOptions,
  crowd: Crowd,
  storm: {
    allBackAt: number | undefined;
    caughtUpAt: number | undefined;
    rssBefore: number;
    rssMax: number;
    usage: ResourceUsage;
    server: ServerUsage;
    liveClients: number;
  },
): void {
  const dropAt = crowd.dropAt!;
  const since = (at: number | undefined) => (at === undefined ? `not within ${CATCH_UP_LIMIT_MS / 1000} s` : `${Math.round(at - dropAt)} ms`);
  const sinceDrop = (times: (number | undefined)[]) => {
    const recorder = new LatencyRecorder();
    for (const at of times) if (at !== undefined) recorder.record(at - dropAt);
    const s = recorder.summary();
    return `p50/p99/max ${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)} ms (${s.count})`;
  };
  const l = crowd.ledger;
  const code = (c: string) => crowd.notes.get(`stream error: ${c}`) ?? 0;
  const withinTarget =
    storm.caughtUpAt !== undefined &&
    storm.caughtUpAt - dropAt <= TARGET_MS &&
    l.lost === 0 &&
    l.duplicates === 0 &&
    l.outOfOrder === 0 &&
    code('UNAUTHORIZED') === 0;
  const u = storm.usage;
  console.log(
    [
      `after the drop of ${storm.liveClients} sockets:`,
      `  socket reopened: ${sinceDrop(crowd.openAt)} · stream restarted: ${sinceDrop(crowd.backAt)} · all back after ${since(storm.allBackAt)}`,
      `  caught up (every acknowledged message older than ${P99_BAR_MS} ms at every member): ${since(storm.caughtUpAt)}`,
      `  books: ${l.acked} sends acknowledged, ${l.failed} failed · expected ${l.expected} / received ${l.arrived} (${l.recovered} by refetch) · ` +
        `lost ${l.lost} · duplicates ${l.duplicates} · out of order ${l.outOfOrder}`,
      `  stream errors: UNAUTHORIZED ${code('UNAUTHORIZED')} (must be 0) · SERVICE_UNAVAILABLE ${code('SERVICE_UNAVAILABLE')} (allowed, counted)` +
        ` · resyncs ${crowd.notes.get('resync: refetched') ?? 0} · sockets closed by the server or failed reconnects ${crowd.notes.get('socket closed by server') ?? 0}`,
      ...(crowd.notes.size > 0 ? [`  everything counted: ${[...crowd.notes].map(([what, n]) => `${n} × ${what}`).join(', ')}`] : []),
      `  API while catching up (${u.seconds.toFixed(1)} s): main thread ${Math.round(u.server.busiestMainThreadPct)}% of a core, ` +
        `${u.server.cpuSeconds.toFixed(1)} CPU s · RSS ${Math.round(storm.rssBefore)} → max ${Math.round(storm.rssMax)} MB · ` +
        `event-loop lag p99/max ${ms(storm.server.lagP99Ms)} / ${ms(storm.server.lagMaxMs)} ms · machine ${Math.round(u.machinePct)}% · ` +
        `limited by ${limitedBy(u).resources.join('; ')}`,
      ...(storm.server.problems.size > 0 ? [`  the API logged: ${[...storm.server.problems].map(([what, n]) => `${n} × ${what}`).join(', ')}`] : []),
      `DESIGN §8 (${options.clients} clients back and caught up within ${TARGET_MS / 1000} s, nothing lost, duplicated or reordered): ${withinTarget ? 'met' : 'missed'}`,
    ].join('\n'),
  );
}

export async function runStorm(options: StormOptions): Promise<void> {
  requireOpenFiles(options.clients);
  const plan = planRooms(options.clients, options.roomSize);
  console.log(
    [
      'YOUng Chat load test: reconnect storm',
      ...environmentLines({ '@trpc/server': versionOf('@trpc/server'), ws: versionOf('ws') }),
      `${options.clients} users in ${describeRooms(options.roomSize)}, subscribed to events.live`,
      `${options.rate} sends/s over HTTP from ${Math.min(SENDERS, options.clients)} of them · every socket cut after ${options.seconds} s · ${servicesLine(options)}`,
      '',
    ].join('\n'),
  );
  const prepared = await prepareApi(
    {
      instances: 1,
      databaseUrl: options.databaseUrl,
      amqpUrl: options.amqpUrl,
      redisUrl: options.redisUrl,
    },
    async (database, mint) => {
      const seeded = await seedRooms(database.db, plan);
      return { ...seeded, tokens: await mint(seeded.userIds) };
    },
  );
  try {
    await withApi(prepared, (api) => storm(options, plan, api, prepared.seeded));
  } finally {
    await prepared.remove();
  }
}
