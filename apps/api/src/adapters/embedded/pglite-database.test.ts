import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

describe('PGlite in a DATA_DIR', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'yc-pglite-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates the database on a first start and finds it on the next', async () => {
    const first = await createPgliteDatabase({ dataDir: dir });
    expect(existsSync(path.join(dir, 'pglite', 'PG_VERSION'))).toBe(true);
    await sql`create table kept (x int)`.execute(first.db);
    await sql`insert into kept values (7)`.execute(first.db);
    await first.close();
    const second = await createPgliteDatabase({ dataDir: dir });
    try {
      expect((await sql<{ x: number }>`select x from kept`.execute(second.db)).rows).toEqual([{ x: 7 }]);
    } finally {
      await second.close();
    }
  }, 120_000); // initdb, then two starts of PGlite
});
