import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseContract } from '../../../test/contracts/database.contract.ts';
import type { Database } from '../../ports/database.ts';
import { createPgliteDatabase } from './pglite-database.ts';

describe('PGlite database adapter', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createPgliteDatabase({ dataDir: 'memory' });
  });
  afterAll(() => database?.close());
  databaseContract(() => database);

  it('makes a query from outside an open transaction wait until it ends, as PGlite does on one thread', async () => {
    const { db } = database;
    await sql`create table exclusive (x int)`.execute(db);
    let inside!: () => void;
    const transactionStarted = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction().execute(async (tx) => {
      await sql`insert into exclusive values (1)`.execute(tx);
      inside();
      await released;
      await sql`insert into exclusive values (2)`.execute(tx);
    });
    await transactionStarted;
    // PGlite has one session: had this run at once, it would have run inside the transaction and seen one row.
    const outside = sql<{ n: number }>`select count(*)::int as n from exclusive`.execute(db);
    await new Promise((resolve) => setImmediate(resolve)); // sent to the worker by now: no I/O on Kysely's way
    release();
    await transaction;
    expect((await outside).rows).toEqual([{ n: 2 }]);
  });
});
