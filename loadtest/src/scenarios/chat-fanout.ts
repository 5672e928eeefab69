// DESIGN §8 live fan-out: users in rooms, an open-loop stream of sends, every message persisted by the API;
// measured at every other member of the room, against a bare `ws` room server driven the same way in the same
// run. Each target is stepped up until it fails (capacity-search.ts), and each step samples what every process
// used, so a failing step says which resource ran out.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedRooms } from '../api/database.ts';
import { prepareApi, withApi, type ServiceUrls } from '../api/deployment.ts';
import { limitedBy, type Bottleneck, type ResourceUsage } from '../bottleneck.ts';
import { nextRate, type SearchPlan, type StepOutcome } from '../capacity-search.ts';
import { sendToRandomRoom, type ChatClient } from '../clients/chat-clients.ts';
import { clientThreads, type ClientsSpec } from '../clients/client-threads.ts';
import { CONNECT_TIMEOUT_MS, connectAll, describeFailures } from '../clients/connect-all.ts';
import { profileLines } from '../cpu-profile.ts';
import { drain } from '../drain.ts';
import { FanoutLedger, LatencyRecorder } from '../metrics.ts';
import { pace } from '../pacer.ts';
import { SERVERS_DIR } from '../paths.ts';
import { spawnServer, watchServers, type ServerWatch } from '../process-stats.ts';
import { barMisses, environmentLines, servicesLine, versionOf, type RunResult } from '../report.ts';
import { settle, watchResources, type ResourceSpec } from '../resources.ts';
import { describeRooms, meanDeliveriesPerSend, planRooms, splitByRoom, type RoomPlan, type RoomSize } from '../room-plan.ts';
import { printChatReport, roundsLines, scaleOutRoundsLines, type ChatRound } from './chat-report.ts';

export interface ChatOptions extends ServiceUrls {
  users: number;
  roomSize: RoomSize;
  search: SearchPlan;
  /** Measured seconds per step. */
  seconds: number;
  /** Most seconds one target's steps may take in all; a step that would not fit is not started. */
  maxSeconds: number;
  /**
   * API instances of the scaled-out target; above 1, a single instance runs too, for comparison, and the bare server
   * split over as many processes, as a control.
   */
  instances: number;
  /** Times the whole comparison is run, each round stepping every target anew (the report adds their medians). */
  rounds: number;
  /** Worker threads the users' connections are spread over (client-threads.ts). */
  clientThreads: number;
  cpuProf: boolean;
}

/** One step of one target: its figures, what each process used while sending, and the verdict. */
export interface ChatStep extends RunResult, StepOutcome {
  resources: ResourceUsage;
  bottleneck: Bottleneck;
  /** How it missed DESIGN §8's bar; empty when it passed. */
  misses: string[];
}

export interface TargetRun {
  name: string;
  connect: LatencyRecorder;
  steps: ChatStep[];
  /** Why the search ended: "failed", or what stopped it first. */
  ended: string;
}

interface Target {
  name: string;
  clients: ClientsSpec;
  /** Room ids by the plan's room index. */
  roomIds: string[];
  watch(): ServerWatch;
  resources: ResourceSpec;
}


function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Why a search that did not fail ended. */
function endedWithoutFailure(options: ChatOptions, steps: StepOutcome[]): string {
  if (options.search.rates) return 'the end of the --rate list';
  if (steps.length >= options.search.maxSteps) return `--max-steps ${options.search.maxSteps}`;
  return `the top rate (${options.search.maxRate}/s)`;
}

/** Unmeasured traffic before a target's first step. */
const WARM_UP_SECONDS = 3;

/** Connects every user once (on the client threads), then steps the rate up on those connections until the search ends. */
async function measure(options: ChatOptions, plan: RoomPlan, target: Target): Promise<TargetRun> {
  const threads = clientThreads(options.clientThreads, target.clients, CONNECT_TIMEOUT_MS);
  const resourceSpec = { ...target.resources, generatorThreads: threads };
  let connectLatency = new LatencyRecorder();
  // Deliveries and oddities are booked to the step being measured.
  let ledger = new FanoutLedger();
  let notes = new Map<string, number>();
  const note = (what: string) => notes.set(what, (notes.get(what) ?? 0) + 1);
  let clients: (ChatClient | undefined)[] = [];

  async function step(rate: number, window = options.seconds): Promise<ChatStep> {
    const books = (ledger = new FanoutLedger());
    notes = new Map();
    const watch = target.watch();
    await watch.start();
    const resources = await watchResources(resourceSpec);
    const cpuBefore = process.cpuUsage();
    const order = shuffled(options.users);
    const total = Math.round(rate * window);
    // Open loop, but bounded: a server that falls behind gets at most a second's worth of sends queued up, so
    // its backlog (and the run) stays short; what it could not take shows as skipped sends and a lower sends/s.
    let skipped = 0;
    const from = performance.now();
    await pace(
      rate,
      (n) => {
        if (books.unanswered >= rate) {
          skipped += 1;
          return;
        }
        const user = order[n % order.length]!;
        sendToRandomRoom({ ledger: books, plan, roomIds: target.roomIds, note }, user, clients[user]!.send);
      },
      total,
    ).done;
    const seconds = (performance.now() - from) / 1000;
    const usage = await resources.stop();
    const sends = books.acked;
    const deliveries = books.received;
    await drain(books);
    const server = await watch.stop();
    const cpu = process.cpuUsage(cpuBefore);
    if (skipped > 0) notes.set('sends skipped: a second of sends unanswered', skipped);
    if (books.unanswered > 0) notes.set('sends unanswered after the drain', books.unanswered);
    const result: RunResult = {
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
    const misses = barMisses(result);
    return { ...result, rate, passed: misses.length === 0, misses, resources: usage, bottleneck: limitedBy(usage) };
  }

  try {
    const crowd = await connectAll(options.users, (user) =>
      threads.connect(user, { deliver: (d) => ledger.deliver(String(user), d.roomId, d.clientId, d.seq, d.at), note }),
    );
    clients = crowd.clients;
    // Every user sends and is owed deliveries: one missing would be counted as the target's losses.
    if (crowd.failures.size > 0) throw new Error(`${target.name}: users could not connect: ${describeFailures(crowd.failures)}`);
    connectLatency = crowd.latency;
    const steps: ChatStep[] = [];
    // A target's first seconds of traffic compile its code and size its heaps: not what a capacity is about.
    const warmUpRate = nextRate(options.search, []);
    if (warmUpRate !== undefined) {
      await step(warmUpRate, WARM_UP_SECONDS);
      console.log(`  ${target.name}: warmed up for ${WARM_UP_SECONDS} s at ${warmUpRate}/s (not counted)`);
    }
    const searchFrom = performance.now();
    for (let rate = nextRate(options.search, steps); rate !== undefined; rate = nextRate(options.search, steps)) {
      if ((performance.now() - searchFrom) / 1000 + options.seconds > options.maxSeconds) {
        return { name: target.name, connect: connectLatency, steps, ended: `--max-seconds ${options.maxSeconds}` };
      }
      await settle(target.resources.serverPids);
      const done = await step(rate);
      steps.push(done);
      // A search takes minutes: say how it goes.
      console.log(`  ${target.name} @ ${rate}/s: ${done.passed ? 'pass' : `FAIL (${done.misses.join(', ')})`}`);
    }
    const ended = steps.some((s) => !s.passed) ? 'failed' : endedWithoutFailure(options, steps);
    return { name: target.name, connect: connectLatency, steps, ended };
  } finally {
    for (const client of clients) client?.close();
    await threads.close();
  }
}

const apiName = (instances: number) => (instances === 1 ? 'YOUng Chat (tRPC ws)' : `YOUng Chat ×${instances}`);

/** One API deployment: seeded, driven, stopped, its CPU profile summarised (and kept, for DevTools). */
async function measureApi(options: ChatOptions, plan: RoomPlan, instances: number): Promise<{ run: TargetRun; profile: string[] }> {
  const name = apiName(instances);
  const profileDir = options.cpuProf ? await mkdtemp(path.join(os.tmpdir(), 'yc-loadtest-prof-')) : undefined;
  const prepared = await prepareApi(
    {
      instances,
      databaseUrl: options.databaseUrl,
      amqpUrl: options.amqpUrl,
      redisUrl: options.redisUrl,
      cpuProfDir: profileDir,
    },
    async (database, mint) => {
      const seeded = await seedRooms(database.db, plan);
      return { ...seeded, tokens: await mint(seeded.userIds) };
    },
  );
  let run: TargetRun;
  try {
    const { userIds, roomIds, tokens } = prepared.seeded;
    run = await withApi(prepared, (api) =>
      measure(options, plan, {
        name,
        clients: { kind: 'trpc', ports: api.ports, userIds, tokens },
        roomIds,
        watch: api.watch,
        resources: api.resources,
      }),
    );
  } finally {
    await prepared.remove();
  }
  return { run, profile: profileDir ? await profileLines(name, profileDir) : [] };
}

export async function runChat(options: ChatOptions): Promise<void> {
  const plan = planRooms(options.users, options.roomSize);
  const steps = options.search.rates
    ? `steps of ${options.search.rates.join(', ')} messages/s`
    : `capacity search from ${options.search.startRate} messages/s, × ${options.search.factor} per step, then one bisection`;
  console.log(
    [
      'YOUng Chat load test: chat fan-out',
      ...environmentLines({ '@trpc/server': versionOf('@trpc/server'), ws: versionOf('ws'), kysely: versionOf('kysely') }),
      `${options.users} users in ${describeRooms(options.roomSize)}: ${plan.rooms.length} rooms, ${meanDeliveriesPerSend(plan).toFixed(1)} deliveries per send on average`,
      `${steps}; ${options.seconds} s per step, each target stops at its first failure (at most ${options.search.maxSteps} steps, ${options.maxSeconds} s)` +
        (options.rounds > 1 ? `; ${options.rounds} rounds, one after another` : ''),
      `the users' connections on ${options.clientThreads} client thread${options.clientThreads === 1 ? '' : 's'} of the generator, pacing and books on its main thread`,
      servicesLine(options),
      '',
    ].join('\n'),
  );
  const rounds: ChatRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    if (options.rounds > 1) console.log(`round ${round} of ${options.rounds}`);
    const bare = (await measureBare(options, plan))!;
    const bareSplit = options.instances > 1 ? await measureBare(options, plan, options.instances) : undefined;
    const profiles: string[] = [];
    const measured = async (instances: number) => {
      const { run, profile } = await measureApi(options, plan, instances);
      profiles.push(...profile);
      return run;
    };
    const api = await measured(1);
    const scaled = options.instances > 1 ? { instances: options.instances, api: await measured(options.instances), bare: bareSplit } : undefined;
    rounds.push({ bare, api, scaled });
    printChatReport(rounds.at(-1)!);
    for (const line of profiles) console.log(line);
  }
  for (const line of [...roundsLines(rounds), ...scaleOutRoundsLines(rounds)]) console.log(line);
}

/**
 * The bare room server; with `servers` above 1, that many of them with the rooms dealt round-robin and nothing relayed
 * between them (undefined when the plan has no such split): what splitting the same deliveries over several processes
 * costs on this box, whatever those processes do.
 */
async function measureBare(options: ChatOptions, plan: RoomPlan, servers = 1): Promise<TargetRun | undefined> {
  const home = splitByRoom(plan, servers);
  if (!home) return undefined;
  const bare = await Promise.all(Array.from({ length: servers }, () => spawnServer([path.join(SERVERS_DIR, 'bare-ws-rooms.ts')])));
  try {
    const roomIds = plan.rooms.map((_, r) => `r${r}`);
    return await measure(options, plan, {
      name: servers === 1 ? 'bare ws' : `bare ws ×${servers}`,
      clients: { kind: 'bare', portOf: home.map((s) => bare[s]!.port), roomsOf: plan.roomsOf.map((rooms) => rooms.map((r) => roomIds[r]!)) },
      roomIds,
      watch: () => watchServers(bare, { metrics: false }),
      resources: { serverName: servers === 1 ? 'bare server' : 'bare servers', serverPids: bare.map((b) => b.child.pid!) },
    });
  } finally {
    await Promise.all(bare.map((b) => b.stop()));
  }
}
