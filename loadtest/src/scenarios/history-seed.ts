// The history scenario's database: a deep room, a skewed room whose rows are the table's oldest and contiguous
// (a planner trap), and the seed project's case, one room of 2000 messages that every reader pages through.
import { randomUUID } from 'node:crypto';
import { LIMITS } from '@youngchat/shared';
import { CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { insertInChunks } from '../api/database.ts';
import { pagesOf, type DatabaseSchema, type Db } from '../api/internals.ts';

export const PAGE = LIMITS.history.defaultPage;
/** The seed project's room: 2000 messages ("2000 chats"), paged through by every reader. */
export const SEED_CHATS = 2_000;
/** Readers who also wrote the messages. */
const SENDERS = 10;

export interface HistorySeed {
  /** The deep room: `depth` recent messages; its readers are the first SENDERS. */
  deep: string;
  /** As deep, but the table's oldest rows, written first and contiguous. */
  skewed: string;
  /** The seed project's room, SEED_CHATS messages, every reader a member. */
  chats: string;
  /** One access token per reader; the first is a member of every room. */
  tokens: string[];
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
async function apiKeysetQuery(roomId: string, before: number | null): Promise<CompiledQuery> {
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
  await pagesOf(recorder, [{ roomId, before }], PAGE + 1);
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

/** Seeds the rooms for `readers` readers (at least SENDERS), runs ANALYZE, and EXPLAINs the pages that matter. */
export async function seedHistory(db: Db, mint: (userIds: string[]) => Promise<string[]>, depth: number, readers: number): Promise<HistorySeed> {
  const users = Array.from({ length: Math.max(readers, SENDERS) }, (_, i) => ({
    id: randomUUID(),
    email: `reader${i}@loadtest.invalid`,
    password_hash: '-',
    nickname: `reader ${i}`,
  }));
  const [skewed, deep, chats] = [randomUUID(), randomUUID(), randomUUID()];
  await insertInChunks(users, (rows) => db.insertInto('users').values(rows).execute());
  await db
    .insertInto('rooms')
    .values([
      { id: skewed, kind: 'group', name: 'skewed', last_seq: depth },
      { id: deep, kind: 'group', name: 'deep', last_seq: depth },
      { id: chats, kind: 'group', name: 'the seed project’s 2000 chats', last_seq: SEED_CHATS },
    ])
    .execute();
  const senders = users.slice(0, SENDERS).map((u) => u.id);
  await insertInChunks(
    [
      ...[skewed, deep].flatMap((room_id) => senders.map((user_id) => ({ room_id, user_id }))),
      ...users.map((u) => ({ room_id: chats, user_id: u.id })),
    ],
    (rows) => db.insertInto('room_members').values(rows).execute(),
  );
  await fillRoom(db, skewed, senders, depth, '2020-01-01T00:00:00Z');
  await fillRoom(db, deep, senders, depth, new Date(Date.now() - 86_400_000).toISOString());
  await fillRoom(db, chats, senders, SEED_CHATS, new Date(Date.now() - 3_600_000).toISOString());
  // Planner statistics, as a database that has been running would have them.
  await sql`analyze messages`.execute(db);
  const deepest = PAGE + 1;
  const offsetQuery = CompiledQuery.raw(
    `select id, room_id, seq, sender_id, body, client_id, created_at, edited_at, deleted_at
       from messages where room_id = $1 order by seq desc limit ${PAGE + 1} offset ${depth - PAGE}`,
    [deep],
  );
  const plans = [
    await explain(db, `keyset (the API's page query), deep room, page 1:`, await apiKeysetQuery(deep, null)),
    await explain(db, `keyset, deep room, cursor ${deepest} (depth ${depth - PAGE}):`, await apiKeysetQuery(deep, deepest)),
    await explain(db, `keyset, skewed room (old, contiguous), page 1:`, await apiKeysetQuery(skewed, null)),
    await explain(db, `keyset, skewed room, cursor ${deepest}:`, await apiKeysetQuery(skewed, deepest)),
    await explain(db, `OFFSET ${depth - PAGE}, deep room, beside it:`, offsetQuery),
  ];
  return { deep, skewed, chats, tokens: await mint(users.map((u) => u.id)), plans };
}
