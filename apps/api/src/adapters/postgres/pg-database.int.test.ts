import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseContract } from '../../../test/contracts/database.contract.ts';
import { keyValueContract } from '../../../test/contracts/key-value.contract.ts';
import { rateLimiterContract } from '../../../test/contracts/rate-limiter.contract.ts';
import { createTestDatabase, describeWithServices } from '../../../test/services.ts';
import { REUSE_PLAN, type Database } from '../../ports/database.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import { createPgliteDatabase } from '../embedded/pglite-database.ts';
import { createSqlKeyValue } from '../embedded/sql-key-value.ts';
import { createSqlRateLimiterFactory } from '../embedded/sql-rate-limiter.ts';
import { migrateToLatest } from './migrator.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { createPgDatabase } from './pg-database.ts';

/** Columns of the public schema as information_schema reports them, to compare two databases. */
async function describeSchema(database: Database) {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = 'public' order by table_name, column_name`.execute(database.db);
  return rows;
}

await describeWithServices('PostgreSQL database adapter', ['postgres'], () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let kv: KeyValueStore;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = createPgDatabase({ url: testDb.url, poolSize: 5 });
    kv = createSqlKeyValue(database.db);
  });
  afterAll(async () => {
    await kv?.close();
    await database?.close();
    await testDb?.drop();
  });

  it('applies every migration once, and again is a no-op', async () => {
    expect(await migrateToLatest(database.db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('builds the same schema as PGlite from the same migrations', async () => {
    const pglite = await createPgliteDatabase({ dataDir: 'memory' });
    try {
      await migrateToLatest(pglite.db);
      expect(await describeSchema(pglite)).toEqual(await describeSchema(database));
    } finally {
      await pglite.close();
    }
  });

  it('reads int8 as a number, like the PGlite adapter', async () => {
    const { rows } = await sql<{ n: number }>`select 9007199254740991::int8 as n`.execute(database.db);
    expect(rows[0]!.n).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('plans a statement marked REUSE_PLAN once per connection, and others every time', async () => {
    const prepared = () =>
      database.db.connection().execute(async (db) => {
        const marked = await sql<{ n: number }>`${sql.raw(REUSE_PLAN)} select ${41}::int + 1 as n`.execute(db);
        await sql`select ${1}::int as plain`.execute(db);
        const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db);
        return { n: marked.rows[0]!.n, statements: rows.map((r) => r.statement) };
      });
    const { n, statements } = await prepared();
    expect(n).toBe(42);
    expect(statements.filter((s) => s.startsWith(REUSE_PLAN))).toHaveLength(1);
    expect(statements.some((s) => s.includes('plain'))).toBe(false);
  });

  it('answers check()', async () => {
    await expect(database.check()).resolves.toBeUndefined();
  });

  databaseContract(() => database);
  // The SQL key-value store also serves several instances that share PostgreSQL but have no Redis.
  keyValueContract(() => kv);
  describe('SQL rate limiter on PostgreSQL', () => rateLimiterContract(() => createSqlRateLimiterFactory(database.db)));
});

await describeWithServices('PostgreSQL adapter health', ['postgres'], () => {
  it('check() rejects when the server cannot be reached', async () => {
    const unreachable = createPgDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    await expect(unreachable.check()).rejects.toThrow();
    await unreachable.close();
  });
});
