// DESIGN §8 history: a room `depth` messages deep and a skewed room whose rows are the table's oldest and
// contiguous; keyset pages through the real API (page 1 against the last page), EXPLAIN of the API's own keyset
// query beside OFFSET, and closed-loop throughput against a bare node:http + SQL keyset endpoint on the same
// database in the same run.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { LIMITS } from '@youngchat/shared';
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { insertInChunks } from '../api/database.ts';
import { prepareApi, withApi } from '../api/deployment.ts';
import { pageFor, type DatabaseSchema, type Db } from '../api/internals.ts';
import { LatencyRecorder } from '../metrics.ts';
import { SERVERS_DIR } from '../paths.ts';
import { withTimeout } from '../pool.ts';
import { spawnServer, watchServers, type ServerUsage, type ServerWatch } from '../process-stats.ts';
import { environmentLines, versionOf } from '../report.ts';

export interface HistoryOptions {
  seconds: number;
  databaseUrl: string | undefined;
  depth: number;
  /** Requests always in flight in the closed loop. */
  concurrency: number;
}

const PAGE = LIMITS.history.defaultPage;
/** Sequential requests per room and page for the page-1-against-deepest comparison. */
const SAMPLES = 100;
const REQUEST_TIMEOUT_MS = 30_000;
const SENDERS = 10;

interface HistorySeed {
  token: string;
  /** The deep room: `depth` recent messages. */
  deep: string;
  /** As deep, but the table's oldest rows, written first and contiguous. */
  skewed: string;
  plans: string[];
}

/** `depth` messages in `roomId`, seq 1…depth, one statement: the database generates the rows. */
async function fillRoom(db: Db, roomId: string, senders: string[], depth: number, from: string): Promise<void> {
  await sql`
    insert into messages (id, room_id, seq, sender_id, body, client_id, created_at)
    select gen_random_uuid(), ${roomId}::uuid, g, (array[${sql.join(senders)}]::uuid[])[1 + g % ${senders.length}],
           'history message ' || g, gen_random_uuid(), ${from}::timestamptz + g * interval '1 millisecond'
    from generate_series(1, ${depth}::int) g`.execute(db);
}

/** The SQL the API's own page query compiles for these arguments, recorded on a driver that runs nothing. */
async function apiKeysetQuery(roomId: string, viewerId: string, before: number | null): Promise<CompiledQuery> {
  let compiled: CompiledQuery | undefined;
  const recorder = new Kysely<DatabaseSchema>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      compiled = event.query;
    },
  });
  await pageFor(recorder, roomId, viewerId, { before, limit: PAGE + 1 });
  return compiled!;
}

/** EXPLAIN (ANALYZE, BUFFERS), second run: the first warms the cache. */
async function explain(db: Db, title: string, query: CompiledQuery): Promise<string> {
  const run = () =>
    db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]));
  await run();
  const { rows } = await run();
  return [title, ...rows.map((r) => `    ${r['QUERY PLAN']}`)].join('\n');
}

async function seedHistory(db: Db, mint: (userIds: string[]) => Promise<string[]>, depth: number): Promise<HistorySeed> {
  const users = Array.from({ length: SENDERS }, (_, i) => ({
    id: randomUUID(),
    email: `reader${i}@loadtest.invalid`,
    password_hash: '-',
    nickname: `reader ${i}`,
  }));
  const [skewed, deep] = [randomUUID(), randomUUID()];
  await db.insertInto('users').values(users).execute();
  await db
    .insertInto('rooms')
    .values([
      { id: skewed, kind: 'group', name: 'skewed', last_seq: depth },
      { id: deep, kind: 'group', name: 'deep', last_seq: depth },
    ])
    .execute();
  await insertInChunks(
    [skewed, deep].flatMap((room_id) => users.map((u) => ({ room_id, user_id: u.id }))),
    (rows) => db.insertInto('room_members').values(rows).execute(),
  );
  const senders = users.map((u) => u.id);
  await fillRoom(db, skewed, senders, depth, '2020-01-01T00:00:00Z');
  await fillRoom(db, deep, senders, depth, new Date(Date.now() - 86_400_000).toISOString());
  // Planner statistics, as a database that has been running would have them.
  await sql`analyze messages`.execute(db);
  const deepest = PAGE + 1;
  const viewer = users[0]!.id;
  const offsetQuery = CompiledQuery.raw(
    `select id, room_id, seq, sender_id, body, client_id, created_at, edited_at, deleted_at
       from messages where room_id = $1 order by seq desc limit ${PAGE + 1} offset ${depth - PAGE}`,
    [deep],
  );
  const plans = [
    await explain(db, `keyset (the API's page query), deep room, page 1:`, await apiKeysetQuery(deep, viewer, null)),
    await explain(db, `keyset, deep room, cursor ${deepest} (depth ${depth - PAGE}):`, await apiKeysetQuery(deep, viewer, deepest)),
    await explain(db, `keyset, skewed room (old, contiguous), page 1:`, await apiKeysetQuery(skewed, viewer, null)),
    await explain(db, `keyset, skewed room, cursor ${deepest}:`, await apiKeysetQuery(skewed, viewer, deepest)),
    await explain(db, `OFFSET ${depth - PAGE}, deep room, beside it:`, offsetQuery),
  ];
  const [token] = await mint([users[0]!.id]);
  return { token: token!, deep, skewed, plans };
}

/** GET that resolves once a 200 answer is read whole; anything else rejects with the status. */
function get(agent: http.Agent, url: string, headers: Record<string, string> = {}): Promise<void> {
  return withTimeout(
    new Promise((resolve, reject) => {
      http
        .get(url, { agent, headers }, (res) => {
          res.on('data', () => {});
          res.once('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
          res.once('error', reject);
        })
        .once('error', reject);
    }),
    REQUEST_TIMEOUT_MS,
    'request',
  );
}

type PageUrl = (roomId: string, cursor: number | null) => string;

interface LoopResult {
  latency: LatencyRecorder;
  seconds: number;
  errors: Map<string, number>;
  loadGeneratorCpuSeconds: number;
  server: ServerUsage;
}

/** `concurrency` requests always in flight for `seconds`, each a page at a random depth of the deep room. */
async function closedLoop(
  options: HistoryOptions,
  seed: HistorySeed,
  pageUrl: PageUrl,
  headers: Record<string, string>,
  watch: ServerWatch,
): Promise<LoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latency = new LatencyRecorder();
  const errors = new Map<string, number>();
  await watch.start();
  const cpuBefore = process.cpuUsage();
  const from = performance.now();
  const deadline = from + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const cursor = PAGE + 1 + Math.floor(Math.random() * (options.depth - PAGE));
      const started = performance.now();
      try {
        await get(agent, pageUrl(seed.deep, cursor), headers);
        latency.record(performance.now() - started);
      } catch (error) {
        const what = (error as Error).message;
        errors.set(what, (errors.get(what) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - from) / 1000;
  const server = await watch.stop();
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  for (const [what, n] of server.problems) errors.set(what, n);
  return { latency, seconds, errors, loadGeneratorCpuSeconds: (cpu.user + cpu.system) / 1e6, server };
}

/** Page 1 against the deepest page of both rooms, one request at a time, interleaved. */
async function pageLatencies(seed: HistorySeed, pageUrl: PageUrl, headers: Record<string, string>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cases = [
    { room: 'deep', roomId: seed.deep },
    { room: 'skewed (old, contiguous)', roomId: seed.skewed },
  ].flatMap(({ room, roomId }) => [
    { room, page: 'page 1', url: pageUrl(roomId, null), latency: new LatencyRecorder() },
    { room, page: `cursor ${PAGE + 1} (deepest)`, url: pageUrl(roomId, PAGE + 1), latency: new LatencyRecorder() },
  ]);
  for (const c of cases) await get(agent, c.url, headers); // warm-up
  for (let i = 0; i < SAMPLES; i++) {
    for (const c of cases) {
      const started = performance.now();
      await get(agent, c.url, headers);
      c.latency.record(performance.now() - started);
    }
  }
  agent.destroy();
  return cases.map((c, i) => {
    const s = c.latency.summary();
    const page1 = cases[i - (i % 2)]!.latency.summary();
    return {
      room: c.room,
      page: c.page,
      'p50 ms': s.p50.toFixed(2),
      'p99 ms': s.p99.toFixed(2),
      'p50 vs page 1': `${(s.p50 / page1.p50).toFixed(2)}×`,
    };
  });
}

function loopRow(name: string, concurrency: number, r: LoopResult): Record<string, string | number> {
  const s = r.latency.summary();
  const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
  return {
    target: name,
    'in flight': concurrency,
    'pages/s': Math.round(s.count / r.seconds),
    'p50/p95/p99/max ms': `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} / ${ms(s.max)}`,
    errors: [...r.errors.values()].reduce((a, b) => a + b, 0),
    'server CPU s': r.server.cpuSeconds.toFixed(2),
    'server RSS MB': Math.round(r.server.rssMb),
    'loop lag p99/max ms': `${ms(r.server.lagP99Ms)} / ${ms(r.server.lagMaxMs)}`,
    'loadgen CPU s': r.loadGeneratorCpuSeconds.toFixed(2),
  };
}

export async function runHistory(options: HistoryOptions): Promise<void> {
  console.log(
    [
      'YOUng Chat load test: history',
      ...environmentLines({ '@trpc/server': versionOf('@trpc/server'), kysely: versionOf('kysely') }),
      `two rooms of ${options.depth} messages · pages of ${PAGE} · closed loop: ${options.concurrency} in flight for ${options.seconds}s · ` +
        (options.databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)'),
      '',
    ].join('\n'),
  );
  const seededAt = performance.now();
  const prepared = await prepareApi({ instances: 1, databaseUrl: options.databaseUrl }, (database, mint) =>
    seedHistory(database.db, mint, options.depth),
  );
  try {
    const seed = prepared.seeded;
    console.log(`seeded in ${((performance.now() - seededAt) / 1000).toFixed(1)} s\n\n${seed.plans.join('\n\n')}\n`);

    // The baseline first: on PGlite only one process may have the database open.
    const bare = await spawnServer([path.join(SERVERS_DIR, 'bare-pg-keyset.ts')], prepared.databaseEnv);
    let bareLoop: LoopResult;
    try {
      bareLoop = await closedLoop(
        options,
        seed,
        (roomId, cursor) => `http://127.0.0.1:${bare.port}/history?room=${roomId}&before=${cursor ?? options.depth + 1}&limit=${PAGE}`,
        {},
        watchServers([bare], { metrics: false }),
      );
    } finally {
      await bare.stop();
    }

    const headers = { authorization: `Bearer ${seed.token}` };
    const { pages, apiLoop } = await withApi(prepared, async (api) => {
      const pageUrl: PageUrl = (roomId, cursor) =>
        `http://127.0.0.1:${api.ports[0]}/trpc/messages.list?input=${encodeURIComponent(JSON.stringify({ roomId, cursor, limit: PAGE }))}`;
      return {
        pages: await pageLatencies(seed, pageUrl, headers),
        apiLoop: await closedLoop(options, seed, pageUrl, headers, api.watch()),
      };
    });

    console.log('messages.list through the API over HTTP, one request at a time:');
    console.table(pages);
    console.log('closed loop, pages at random depths of the deep room:');
    console.table([loopRow('bare node:http + SQL', options.concurrency, bareLoop), loopRow('YOUng Chat (tRPC http)', options.concurrency, apiLoop)]);
    for (const [name, r] of [['bare node:http + SQL', bareLoop], ['YOUng Chat (tRPC http)', apiLoop]] as const) {
      if (r.errors.size > 0) console.log(`${name}: ${[...r.errors].map(([what, n]) => `${n} × ${what}`).join(', ')}`);
    }
    const rate = (r: LoopResult) => r.latency.count / r.seconds;
    console.log(
      `YOUng Chat: pages/s = ${Math.round((100 * rate(apiLoop)) / rate(bareLoop))}% of bare · with ${options.concurrency} always in flight, ` +
        `latency ≥ ${options.concurrency} ÷ throughput = ${((1000 * options.concurrency) / rate(apiLoop)).toFixed(0)} ms`,
    );
    console.log('DESIGN §8: closed loop ≥ 80% of bare; keyset page at depth 1M ≤ 1.2× page 1, also in the skewed room.');
  } finally {
    await prepared.remove();
  }
}
