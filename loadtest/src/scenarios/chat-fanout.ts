// DESIGN §8 live fan-out: users in group rooms, an open-loop stream of sends, every message persisted by the API;
// measured at every other member of the room, against a bare `ws` room server driven the same way in the same run.
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import WebSocket from 'ws';
import { seedRooms, type SeededUser } from '../api/database.ts';
import { prepareApi, withApi } from '../api/deployment.ts';
import { profileLines } from '../cpu-profile.ts';
import { FanoutLedger, LatencyRecorder } from '../metrics.ts';
import { SERVERS_DIR } from '../paths.ts';
import { mapLimit, sleep, withTimeout } from '../pool.ts';
import { spawnServer, watchServers, type ServerWatch } from '../process-stats.ts';
import { environmentLines, P99_BAR_MS, printResults, versionOf, withinBar, type RunResult } from '../report.ts';

export interface ChatOptions {
  users: number;
  roomSize: number;
  /**
   * Messages per second across all users, open loop: sent on schedule whether or not earlier ones were
   * answered. Several rates are steps, run one after the other on the same connections.
   */
  rates: number[];
  seconds: number;
  /** API instances of the scaled-out target; above 1, a single instance runs too, for comparison. */
  instances: number;
  databaseUrl: string | undefined;
  amqpUrl: string | undefined;
  redisUrl: string | undefined;
  cpuProf: boolean;
}

/** A chat message from another member, as a transport hands it over. */
interface Delivery {
  roomId: string;
  clientId: string;
  seq: number;
}

interface Handlers {
  deliver(delivery: Delivery): void;
  /** Counts an oddity for the line under the table (socket closes, resyncs, errors). */
  note(what: string): void;
}

interface ChatClient {
  /** Resolves when the server acknowledged the send. */
  send(clientId: string, body: string): Promise<void>;
  close(): void;
}

/** Connects user `index` (0-based; consecutive users share a room) and resolves once it is receiving. */
type Connect = (index: number, handlers: Handlers) => Promise<ChatClient>;

const CONNECTS_IN_FLIGHT = 50;
const CONNECT_TIMEOUT_MS = 15_000;
const SEND_TICK_MS = 5;
/** After the last send, wait while deliveries still arrive; losses are what is missing after this much quiet. */
const QUIET_MS = 2_000;
const MAX_DRAIN_MS = 30_000;

const errorName = (error: unknown) =>
  (error as { data?: { appCode?: string } }).data?.appCode ?? (error as Error).message ?? String(error);

function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Connects every user once, then for each rate in turn: sends at that rate for `seconds`, drains, and reads
 * that step's ledger.
 */
async function drive(options: ChatOptions, connect: Connect, watch: ServerWatch): Promise<RunResult[]> {
  const connectLatency = new LatencyRecorder();
  // Deliveries and oddities are booked to the step being measured.
  let ledger = new FanoutLedger();
  let notes = new Map<string, number>();
  const note = (what: string) => notes.set(what, (notes.get(what) ?? 0) + 1);
  const clients: ChatClient[] = [];
  const othersInRoom = (user: number) => Math.min(options.roomSize, options.users - user + (user % options.roomSize)) - 1;

  async function step(rate: number): Promise<RunResult> {
    const books = (ledger = new FanoutLedger());
    notes = new Map();
    await watch.start();
    const cpuBefore = process.cpuUsage();
    const order = shuffled(options.users);
    const total = Math.round(rate * options.seconds);
    // Open loop, but bounded: a server that falls behind gets at most a second's worth of sends queued up, so
    // its backlog (and the run) stays short; what it could not take shows as skipped sends and a lower sends/s.
    let skipped = 0;
    let issued = 0;
    const sendNext = () => {
      const user = order[issued % order.length]!;
      issued += 1;
      if (books.unanswered >= rate) {
        skipped += 1;
        return;
      }
      const clientId = randomUUID();
      books.send(clientId, othersInRoom(user), performance.now());
      clients[user]!.send(clientId, `message ${issued} from user ${user}`).then(
        () => books.ack(clientId),
        (error: unknown) => {
          books.fail();
          note(`send failed: ${errorName(error)}`);
        },
      );
    };
    const from = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - from) / 1000) * rate));
        while (issued < due) sendNext();
        if (issued >= total) {
          clearInterval(timer);
          resolve();
        }
      }, SEND_TICK_MS);
    });
    const seconds = (performance.now() - from) / 1000;
    const sends = books.acked;
    const deliveries = books.received;
    await drain(books);
    const server = await watch.stop();
    const cpu = process.cpuUsage(cpuBefore);
    if (skipped > 0) notes.set('sends skipped: a second of sends unanswered', skipped);
    if (books.unanswered > 0) notes.set('sends unanswered after the drain', books.unanswered);
    return {
      connect: connectLatency,
      deliver: books.latency,
      seconds,
      sends,
      refused: skipped + books.failed + books.unanswered,
      deliveries,
      expected: books.expected,
      received: books.arrived,
      lost: books.lost,
      duplicates: books.duplicates,
      outOfOrder: books.outOfOrder,
      loadGeneratorCpuSeconds: (cpu.user + cpu.system) / 1e6,
      server,
      // A copy: closing the clients fails their unanswered sends, which are not the server's doing.
      notes: new Map([...notes, ...server.problems]),
    };
  }

  try {
    await mapLimit(Array.from({ length: options.users }, (_, i) => i), CONNECTS_IN_FLIGHT, async (user) => {
      const started = performance.now();
      const handlers: Handlers = {
        deliver: (d) => ledger.deliver(String(user), d.roomId, d.clientId, d.seq, performance.now()),
        note,
      };
      clients[user] = await withTimeout(connect(user, handlers), CONNECT_TIMEOUT_MS, `connecting user ${user}`);
      connectLatency.record(performance.now() - started);
    });
    const results: RunResult[] = [];
    for (const rate of options.rates) results.push(await step(rate));
    return results;
  } finally {
    for (const client of clients) client?.close();
  }
}

/** Waits until everything owed arrived, or nothing moved for QUIET_MS, or MAX_DRAIN_MS passed. */
async function drain(ledger: FanoutLedger): Promise<void> {
  const deadline = performance.now() + MAX_DRAIN_MS;
  let progress = -1;
  let movedAt = performance.now();
  while (!ledger.settled && performance.now() < deadline) {
    const now = ledger.received + ledger.acked + ledger.failed;
    if (now !== progress) [progress, movedAt] = [now, performance.now()];
    else if (performance.now() - movedAt >= QUIET_MS) return;
    await sleep(50);
  }
}

/** Raw `ws` clients against the bare room server; acks and messages matched by clientId. */
function bareWsChat(port: number, roomSize: number): Connect {
  return async (index, { deliver, note }) => {
    const roomId = `room-${Math.floor(index / roomSize)}`;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/?room=${roomId}`, { perMessageDeflate: false });
    const pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
    let closing = false;
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { ack?: string; error?: string; clientId: string } & Delivery;
      const waiting = pending.get(frame.ack ?? frame.clientId);
      if (frame.ack !== undefined) waiting?.resolve();
      else if (frame.error !== undefined) waiting?.reject(new Error(frame.error));
      else return deliver(frame);
      pending.delete(frame.ack ?? frame.clientId);
    });
    socket.on('close', () => {
      if (!closing) note('socket closed by server');
      for (const { reject } of pending.values()) reject(new Error('socket closed'));
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return {
      send: (clientId, body) =>
        new Promise((resolve, reject) => {
          pending.set(clientId, { resolve, reject });
          socket.send(JSON.stringify({ roomId, clientId, body, sentAt: Date.now() }));
        }),
      close() {
        closing = true;
        socket.terminate();
      },
    };
  };
}

/**
 * The real typed client, as a person's app uses it: one WebSocket per user (spread round-robin over the
 * instances), one events.live stream for all their rooms, sends as mutations over the same socket.
 */
function trpcChat(ports: number[], users: SeededUser[], tokens: string[]): Connect {
  return async (index, { deliver, note }) => {
    const user = users[index]!;
    let closing = false;
    const wsClient = createWSClient({
      url: `ws://127.0.0.1:${ports[index % ports.length]}/trpc`,
      WebSocket: WebSocket as never,
      connectionParams: async () => ({ accessToken: tokens[index]! }),
      onClose: () => {
        if (!closing) note('socket closed by server');
      },
    });
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    let subscription: { unsubscribe(): void } | undefined;
    const close = () => {
      closing = true;
      subscription?.unsubscribe();
      void wsClient.close();
    };
    try {
      await new Promise<void>((resolve, reject) => {
        subscription = client.events.live.subscribe(
          {},
          {
            onStarted: () => resolve(),
            onError: (error) => {
              note(`stream error: ${errorName(error)}`);
              reject(error);
            },
            onData: (item) => {
              // Durable events come as tracked envelopes {id, data}; ephemeral ones (resync, typing) bare.
              const event = 'data' in item ? item.data : item;
              if (event.type === 'resync') note('resync');
              else if (event.type === 'message.created' && event.message.senderId !== user.id) {
                deliver({ roomId: event.roomId, clientId: event.message.clientId, seq: event.message.seq });
              }
            },
          },
        );
      });
    } catch (error) {
      close();
      throw error;
    }
    return {
      send: async (clientId, body) => {
        await client.messages.send.mutate({ roomId: user.roomId, body, clientId });
      },
      close,
    };
  };
}

/** The API's own per-sender limit must not be what the run measures: raise it above the offered rate. */
function messagesPerMinute(options: ChatOptions): number {
  return Math.max(100, Math.ceil(((Math.max(...options.rates) * 60) / options.users) * 2));
}

const apiName = (instances: number) => (instances === 1 ? 'YOUng Chat (tRPC ws)' : `YOUng Chat ×${instances}`);

/** One API deployment: seeded, driven, stopped, its CPU profile summarised (and kept, for DevTools). */
async function measureApi(options: ChatOptions, instances: number): Promise<{ steps: RunResult[]; profile: string[] }> {
  const profileDir = options.cpuProf ? await mkdtemp(path.join(os.tmpdir(), 'yc-loadtest-prof-')) : undefined;
  const prepared = await prepareApi(
    {
      instances,
      databaseUrl: options.databaseUrl,
      amqpUrl: options.amqpUrl,
      redisUrl: options.redisUrl,
      env: { MESSAGES_PER_MINUTE: String(messagesPerMinute(options)) },
      cpuProfDir: profileDir,
    },
    async (database, mint) => {
      const users = await seedRooms(database.db, options.users, options.roomSize);
      return { users, tokens: await mint(users.map((u) => u.id)) };
    },
  );
  let steps: RunResult[];
  try {
    const { users, tokens } = prepared.seeded;
    steps = await withApi(prepared, (api) => drive(options, trpcChat(api.ports, users, tokens), api.watch()));
  } finally {
    await prepared.remove();
  }
  return { steps, profile: profileDir ? await profileLines(apiName(instances), profileDir) : [] };
}

export async function runChat(options: ChatOptions): Promise<void> {
  const database = options.databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)';
  const rates = options.rates.join(', ');
  console.log(
    [
      'YOUng Chat load test: chat fan-out',
      ...environmentLines({ '@trpc/server': versionOf('@trpc/server'), ws: versionOf('ws'), kysely: versionOf('kysely') }),
      `${options.users} users in rooms of ${options.roomSize} · ${rates} messages/s for ${options.seconds}s ` +
        `(× ${options.roomSize - 1} deliveries each) · ${database}` +
        (options.amqpUrl ? ' · RabbitMQ' : '') +
        (options.redisUrl ? ' · Redis' : ''),
      '',
    ].join('\n'),
  );
  const targets: [string, RunResult[]][] = [];
  const bare = await spawnServer([path.join(SERVERS_DIR, 'bare-ws-rooms.ts')]);
  try {
    targets.push(['bare ws', await drive(options, bareWsChat(bare.port, options.roomSize), watchServers([bare], { metrics: false }))]);
  } finally {
    await bare.stop();
  }
  const profiles: string[] = [];
  for (const instances of new Set([1, options.instances])) {
    const { steps, profile } = await measureApi(options, instances);
    targets.push([apiName(instances), steps]);
    profiles.push(...profile);
  }

  // [target, its baseline, DESIGN §8's share of the baseline]
  const pairs: [string, string, number][] = [[apiName(1), 'bare ws', 60]];
  if (options.instances > 1) pairs.push([apiName(options.instances), apiName(1), 85]);
  const atRate = (name: string, i: number) => (options.rates.length > 1 ? `${name} @ ${options.rates[i]}/s` : name);
  printResults(
    targets.flatMap(([name, steps]) => steps.map((r, i): [string, RunResult] => [atRate(name, i), r])),
    options.rates.flatMap((_, i) => pairs.map(([ours, base]): [string, string] => [atRate(ours, i), atRate(base, i)])),
  );

  // DESIGN §8 counts deliveries/s only where p99 ≤ 100 ms and nothing was lost: the best such step per target.
  const best = new Map(targets.map(([name, steps]) => [name, Math.max(0, ...steps.filter(withinBar).map((r) => r.deliveries / r.seconds))]));
  console.log(
    `best step within DESIGN §8's bar (p99 ≤ ${P99_BAR_MS} ms; 0 lost, duplicated or reordered; every send answered): ` +
      [...best].map(([name, rate]) => `${name} ${rate > 0 ? `${Math.round(rate)} deliveries/s` : 'none'}`).join(' · '),
  );
  for (const [ours, base, target] of pairs) {
    const [mine, theirs] = [best.get(ours)!, best.get(base)!];
    const share = theirs > 0 ? `${Math.round((100 * mine) / theirs)}% of ${base}'s best` : `nothing to compare: no ${base} step`;
    console.log(`${ours}: ${share} within the bar (DESIGN §8: ≥ ${target}%)`);
  }
  console.log('Losses count after the stream went quiet for 2 s; sends beyond a second of unanswered ones are skipped.');
  for (const line of profiles) console.log(line);
}
