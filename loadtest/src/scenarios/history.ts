// DESIGN §8 history: keyset pages through the real API (page 1 against the last page), EXPLAIN of the API's own
// keyset query beside OFFSET, a closed loop against a bare node:http + SQL endpoint on the same database in the
// same run, the seed project's own case (its readers paging through one room, OFFSET beside keyset, its figures
// beside ours), and an open loop at DESIGN §8's offered rate.
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { prepareApi, withApi } from '../api/deployment.ts';
import { profileLines } from '../cpu-profile.ts';
import { closedLoop, get, openLoop, warmUp, type Load, type LoopResult, type Request } from '../http-load.ts';
import { LatencyRecorder } from '../metrics.ts';
import { SERVERS_DIR } from '../paths.ts';
import { spawnServer, watchServers } from '../process-stats.ts';
import { environmentLines, ms, P99_BAR_MS, servicesLine, versionOf } from '../report.ts';
import { formatTable } from '../text-table.ts';
import { historyRoundsLines } from './history-report.ts';
import { PAGE, SEED_CHATS, seedHistory, type HistorySeed } from './history-seed.ts';

export interface HistoryOptions {
  seconds: number;
  databaseUrl: string | undefined;
  depth: number;
  /** Requests always in flight in the closed loop at random depths. */
  concurrency: number;
  /** Readers of the seed project's room, each with an account: the seed's concurrent users. */
  users: number;
  /** Pages/s the readers offer together in the open loop. */
  rate: number;
  /** Times the two closed-loop comparisons are run (the report adds their medians). */
  rounds: number;
  cpuProf: boolean;
}

/** One round's loops of one target; those measured only in the first round are undefined in the others. */
interface Loops {
  pages?: Record<string, string>[] | undefined;
  deep: LoopResult;
  seedOffset?: LoopResult | undefined;
  seedKeyset: LoopResult;
  open?: LoopResult | undefined;
}

/** Unmeasured seconds of load before each target's loops, every round. */
const WARM_UP_SECONDS = 3;
/** Sequential requests per room and page for the page-1-against-deepest comparison. */
const SAMPLES = 100;
/** The seed project's own figures (Spring + JMeter, 1000 users, 2000 chats). */
const SEED_FIGURES = [
  { target: 'seed project: OFFSET', 'pages/s': 49.3, 'avg ms': 6280 },
  { target: 'seed project: keyset', 'pages/s': 189.7, 'avg ms': 1245 },
];
/** Pages in one pass through the seed project's room. */
const CHAT_PAGES = Math.ceil(SEED_CHATS / PAGE);

/** A page, as keyset (seqs below `before`; null for the newest) and as OFFSET address it. */
interface Page {
  roomId: string;
  before: number | null;
  offset: number;
}
type PageUrl = (page: Page) => string;

/** A reader's `n`th page of the seed project's room: page after page, newest first, then again from the top. */
const chatPage = (seed: HistorySeed, n: number): Page => {
  const k = n % CHAT_PAGES;
  return { roomId: seed.chats, before: k === 0 ? null : SEED_CHATS + 1 - PAGE * k, offset: PAGE * k };
};

/** A page at a random depth of the deep room. */
const randomDeepPage = (seed: HistorySeed, depth: number): Page => {
  const before = PAGE + 1 + Math.floor(Math.random() * (depth - PAGE));
  return { roomId: seed.deep, before, offset: depth + 1 - before };
};

const bareUrls = (port: number) => ({
  keyset: ({ roomId, before }: Page) => `http://127.0.0.1:${port}/history?room=${roomId}&before=${before ?? Number.MAX_SAFE_INTEGER}&limit=${PAGE}`,
  offset: ({ roomId, offset }: Page) => `http://127.0.0.1:${port}/history-offset?room=${roomId}&offset=${offset}&limit=${PAGE}`,
});

const apiUrl =
  (port: number): PageUrl =>
  ({ roomId, before }) =>
    `http://127.0.0.1:${port}/trpc/messages.list?input=${encodeURIComponent(JSON.stringify({ roomId, cursor: before, limit: PAGE }))}`;

/** Requests of `url(page(user, n))`, as reader `user` when `tokens` are given. */
const requests =
  (url: PageUrl, page: (user: number, n: number) => Page, tokens?: string[]): Request =>
  (agent, user, n) =>
    get(agent, url(page(user, n)), tokens ? { authorization: `Bearer ${tokens[user]}` } : {});

/** Page 1 against the deepest page of both rooms, one request at a time, interleaved. */
async function pageLatencies(seed: HistorySeed, pageUrl: PageUrl, agent: http.Agent, headers: Record<string, string>) {
  const cases = [
    { room: 'deep', roomId: seed.deep },
    { room: 'skewed (old, contiguous)', roomId: seed.skewed },
  ].flatMap(({ room, roomId }) => [
    { room, page: 'page 1', url: pageUrl({ roomId, before: null, offset: 0 }), latency: new LatencyRecorder() },
    { room, page: `cursor ${PAGE + 1} (deepest)`, url: pageUrl({ roomId, before: PAGE + 1, offset: 0 }), latency: new LatencyRecorder() },
  ]);
  for (const c of cases) await get(agent, c.url, headers); // warm-up
  for (let i = 0; i < SAMPLES; i++) {
    for (const c of cases) {
      const started = performance.now();
      await get(agent, c.url, headers);
      c.latency.record(performance.now() - started);
    }
  }
  return cases.map((c, i) => {
    const s = c.latency.summary();
    const page1 = cases[i - (i % 2)]!.latency.summary();
    return { room: c.room, page: c.page, 'p50 ms': s.p50.toFixed(2), 'p99 ms': s.p99.toFixed(2), 'p50 vs page 1': `${(s.p50 / page1.p50).toFixed(2)}×` };
  });
}

function loopRow(target: string, r: LoopResult): Record<string, string | number> {
  const s = r.latency.summary();
  const u = r.resources;
  return {
    target,
    ...(r.offeredPerSecond === undefined ? {} : { 'offered/s': r.offeredPerSecond }),
    'pages/s': Math.round(s.count / r.seconds),
    'avg ms': Math.round(s.mean),
    'p50/p95/p99/max ms': `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} / ${ms(s.max)}`,
    errors: [...r.errors.values()].reduce((a, b) => a + b, 0),
    'server main %': Math.round(u.server.busiestMainThreadPct),
    'PostgreSQL %': u.services.length > 0 ? Math.round(u.services[0]!.pct) : '-',
    'generator busiest thread %': Math.round(u.generator.busiestThreadPct),
    'machine %': Math.round(u.machinePct),
    'server RSS MB': Math.round(r.server.rssMb),
    'loop lag p99/max ms': `${ms(r.server.lagP99Ms)} / ${ms(r.server.lagMaxMs)}`,
  };
}

function printLoops(title: string, rows: [string, LoopResult][], extra: Record<string, string | number>[] = []): void {
  console.log(`\n${title}`);
  console.log(formatTable([...extra, ...rows.map(([name, r]) => loopRow(name, r))]));
  for (const [name, r] of rows) {
    if (r.errors.size > 0) console.log(`${name}: ${[...r.errors].map(([what, n]) => `${n} × ${what}`).join(', ')}`);
    if (r.resources.generator.busiestThreadPct >= 90) console.log(`${name}: a thread of the generator was saturated: latencies include its queueing`);
  }
}

export async function runHistory(options: HistoryOptions): Promise<void> {
  console.log(
    [
      'YOUng Chat load test: history',
      ...environmentLines({ '@trpc/server': versionOf('@trpc/server'), kysely: versionOf('kysely') }),
      `two rooms of ${options.depth} messages and one of ${SEED_CHATS} read by ${options.users} users · pages of ${PAGE} · ` +
        `${options.seconds} s per loop · ${servicesLine(options)}`,
      '',
    ].join('\n'),
  );
  const seededAt = performance.now();
  const profileDir = options.cpuProf ? await mkdtemp(path.join(os.tmpdir(), 'yc-loadtest-prof-')) : undefined;
  const prepared = await prepareApi({ instances: 1, databaseUrl: options.databaseUrl, cpuProfDir: profileDir }, (database, mint) =>
    seedHistory(database.db, mint, options.depth, options.users),
  );
  try {
    const seed = prepared.seeded;
    console.log(`seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s\n\n${seed.plans.join('\n\n')}\n`);
    const readers = (_user: number, n: number) => chatPage(seed, n);
    const deepPages = () => randomDeepPage(seed, options.depth);

    // Each round the baseline first: on PGlite only one process may have the database open. The first round also
    // measures what is printed once (OFFSET, the open loop, single pages); later ones only the two closed loops.
    const rounds: { bare: Loops; api: Loops }[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) console.log(`round ${round} of ${options.rounds}`);
      const first = round === 1;
      const bare = await spawnServer([path.join(SERVERS_DIR, 'bare-pg-keyset.ts')], prepared.databaseEnv);
      const bareLoops = await (async (): Promise<Loops> => {
        try {
          const load = (): Load => ({
            seconds: options.seconds,
            watch: watchServers([bare], { metrics: false }),
            resources: { serverName: 'bare server', serverPids: [bare.child.pid!], databaseUrl: prepared.databaseEnv.DATABASE_URL },
          });
          const urls = bareUrls(bare.port);
          await warmUp(options.concurrency, WARM_UP_SECONDS, requests(urls.keyset, deepPages));
          return {
            deep: await closedLoop(load(), options.concurrency, requests(urls.keyset, deepPages)),
            seedOffset: first ? await closedLoop(load(), options.users, requests(urls.offset, readers)) : undefined,
            seedKeyset: await closedLoop(load(), options.users, requests(urls.keyset, readers)),
            open: first ? await openLoop(load(), options.users, options.rate, requests(urls.keyset, readers)) : undefined,
          };
        } finally {
          await bare.stop();
        }
      })();
      const apiLoops = await withApi(prepared, async (api): Promise<Loops> => {
        const load = (): Load => ({ seconds: options.seconds, watch: api.watch(), resources: api.resources });
        const url = apiUrl(api.ports[0]!);
        const [reader] = seed.tokens;
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
          await warmUp(options.concurrency, WARM_UP_SECONDS, requests(url, deepPages, Array(options.concurrency).fill(reader)));
          return {
            pages: first ? await pageLatencies(seed, url, agent, { authorization: `Bearer ${reader}` }) : undefined,
            deep: await closedLoop(load(), options.concurrency, requests(url, deepPages, Array(options.concurrency).fill(reader))),
            seedKeyset: await closedLoop(load(), options.users, requests(url, readers, seed.tokens)),
            open: first ? await openLoop(load(), options.users, options.rate, requests(url, readers, seed.tokens)) : undefined,
          };
        } finally {
          agent.destroy();
        }
      });
      rounds.push({ bare: bareLoops, api: apiLoops });
    }
    const [{ bare: bareRuns, api: apiRuns }] = rounds as [{ bare: Required<Loops>; api: Required<Loops> }];

    console.log('messages.list through the API over HTTP, one request at a time:');
    console.log(formatTable(apiRuns.pages));
    printLoops(`closed loop: ${options.concurrency} requests always in flight, pages at random depths of the deep room`, [
      ['bare node:http + SQL', bareRuns.deep],
      ['YOUng Chat (tRPC http)', apiRuns.deep],
    ]);
    const rate = (r: LoopResult) => r.latency.count / r.seconds;
    console.log(
      `YOUng Chat: pages/s = ${Math.round((100 * rate(apiRuns.deep)) / rate(bareRuns.deep))}% of bare (DESIGN §8: ≥ 80%) · with ` +
        `${options.concurrency} always in flight, latency ≥ ${options.concurrency} ÷ throughput = ${((1000 * options.concurrency) / rate(apiRuns.deep)).toFixed(0)} ms`,
    );
    printLoops(
      `the seed project's case: ${options.users} users each paging through one room of ${SEED_CHATS} messages (${CHAT_PAGES} pages), ` +
        `closed loop (one request in flight per user), beside the seed's own figures (its TPS = pages/s)`,
      [
        ['bare node:http + SQL, OFFSET', bareRuns.seedOffset],
        ['bare node:http + SQL, keyset', bareRuns.seedKeyset],
        ['YOUng Chat messages.list (keyset)', apiRuns.seedKeyset],
      ],
      SEED_FIGURES,
    );
    printLoops(
      `open loop: ${options.users} users offering ${options.rate} pages/s in total for ${options.seconds} s (keyset pages of the seed's room; latency from when each request was due)`,
      [
        ['bare node:http + SQL', bareRuns.open],
        ['YOUng Chat (tRPC http)', apiRuns.open],
      ],
    );
    const open = apiRuns.open.latency.summary();
    const errors = [...apiRuns.open.errors.values()].reduce((a, b) => a + b, 0);
    const verdict = open.p99 <= P99_BAR_MS && errors === 0 ? 'met' : 'missed';
    console.log(`YOUng Chat open loop: p99 ${ms(open.p99)} ms, ${errors} errors: DESIGN §8 (p99 ≤ ${P99_BAR_MS} ms, no errors) ${verdict}`);
    console.log('DESIGN §8: keyset page at depth 1M ≤ 1.2× page 1, also in the skewed room.');
    for (const line of historyRoundsLines(rounds)) console.log(line);
  } finally {
    await prepared.remove();
  }
  if (profileDir) for (const line of await profileLines('YOUng Chat (tRPC http)', profileDir)) console.log(line);
}
