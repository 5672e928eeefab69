import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../adapters/embedded/pglite-database.ts';
import { migrateToLatest } from '../../adapters/postgres/migrator.ts';
import type { Database, Db } from '../../ports/database.ts';
import { createPageReader } from './messages.pages.ts';
import { pagesOf, type PageAddress } from './messages.repository.ts';

describe('the page reader', () => {
  let database: Database;
  let statements = 0;
  /** Holds every answer back while set. */
  let held: Promise<void> | undefined;
  /** The database, counting the statements sent to it. */
  let counted: Db;
  const rooms = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    database = await createPgliteDatabase({ dataDir: 'memory' });
    await migrateToLatest(database.db);
    const { db } = database;
    const sender = randomUUID();
    await db.insertInto('users').values({ id: sender, email: `${sender}@example.com`, password_hash: '-', nickname: 'n' }).execute();
    await db.insertInto('rooms').values(rooms.map((id) => ({ id, kind: 'group' as const, name: 'r', last_seq: 40 }))).execute();
    await db
      .insertInto('messages')
      .values(rooms.flatMap((room_id) => Array.from({ length: 40 }, (_, i) => ({ id: randomUUID(), room_id, seq: i + 1, sender_id: sender, body: `m${i + 1}`, client_id: randomUUID() }))))
      .execute();
    counted = db.withPlugin({
      transformQuery: ({ node }) => {
        statements += 1;
        return node;
      },
      transformResult: async ({ result }) => {
        await held;
        return result;
      },
    });
  });
  afterAll(() => database?.close());

  const seqs = (rows: { seq: number }[]) => rows.map((row) => row.seq);

  it('reads the pages asked for together in one statement per page size, each as it would be read alone', async () => {
    const reader = createPageReader({ db: counted, inFlight: 1, maxBatch: 100 });
    const asked: [PageAddress, number][] = [
      [{ roomId: rooms[0]!, before: null }, 11],
      [{ roomId: rooms[1]!, before: 20 }, 11],
      [{ roomId: rooms[0]!, before: null }, 11],
      [{ roomId: rooms[0]!, before: 3 }, 31],
      [{ roomId: randomUUID(), before: null }, 31],
      [{ roomId: rooms[1]!, before: null }, 31],
    ];
    statements = 0;
    const together = await Promise.all(asked.map(([address, limit]) => reader.page(address, limit)));
    expect(statements).toBe(2);
    const alone = await Promise.all(asked.map(async ([address, limit]) => (await pagesOf(database.db, [address], limit))[0]!));
    expect(together.map(seqs)).toEqual(alone.map(seqs));
    expect(together.map((page) => page.length)).toEqual([11, 11, 11, 2, 0, 31]);
  });

  it('sends a lone page at once, and gathers what arrives while a batch is being read into the next', async () => {
    const reader = createPageReader({ db: counted, inFlight: 1, maxBatch: 100 });
    statements = 0;
    expect(seqs(await reader.page({ roomId: rooms[0]!, before: null }, 3))).toEqual([40, 39, 38]);
    expect(statements).toBe(1);

    statements = 0;
    let release = () => {};
    held = new Promise((resolve) => (release = resolve));
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const first = reader.page({ roomId: rooms[0]!, before: 10 }, 3);
    const later = [];
    for (const before of [5, 6, 7]) {
      await turn(); // each in a turn of the event loop of its own, while the first is being read
      later.push(reader.page({ roomId: rooms[1]!, before }, 3));
    }
    await turn();
    held = undefined;
    release();
    expect(seqs(await first)).toEqual([9, 8, 7]);
    expect((await Promise.all(later)).map(seqs)).toEqual([
      [4, 3, 2],
      [5, 4, 3],
      [6, 5, 4],
    ]);
    expect(statements).toBe(2);
  });

  it('fails every page of a batch that failed, and goes on reading', async () => {
    const reader = createPageReader({ db: counted, inFlight: 1, maxBatch: 100 });
    const failed = await Promise.allSettled([reader.page({ roomId: rooms[0]!, before: null }, 3), reader.page({ roomId: 'not a uuid', before: null }, 3)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(seqs(await reader.page({ roomId: rooms[1]!, before: null }, 2))).toEqual([40, 39]);
  });
});
