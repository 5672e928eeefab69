import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../../src/ports/database.ts';

/** What every Database adapter must guarantee to the services above it. */
export function databaseContract(getDatabase: () => Database) {
  it('keeps a write made beside a transaction when that transaction rolls back', async () => {
    const { db } = getDatabase();
    const table = `contract_${Math.random().toString(36).slice(2, 10)}`;
    await sql`create table ${sql.table(table)} (x int)`.execute(db);
    try {
      let inside!: () => void;
      const transactionStarted = new Promise<void>((resolve) => (inside = resolve));
      const failing = db.transaction().execute(async (tx) => {
        await sql`insert into ${sql.table(table)} values (1)`.execute(tx);
        inside();
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('roll back');
      });
      await transactionStarted;
      const beside = sql`insert into ${sql.table(table)} values (2)`.execute(db);
      await expect(failing).rejects.toThrow('roll back');
      await beside;
      const { rows } = await sql<{ x: number }>`select x from ${sql.table(table)}`.execute(db);
      expect(rows.map((r) => r.x)).toEqual([2]);
    } finally {
      await sql`drop table ${sql.table(table)}`.execute(db);
    }
  });

  it('answers a long query without blocking the event loop', async () => {
    const { db } = getDatabase();
    const order: string[] = [];
    setImmediate(() => order.push('event loop'));
    await sql`select pg_sleep(0.3)`.execute(db);
    order.push('query');
    expect(order).toEqual(['event loop', 'query']);
  });

  it('reports PostgreSQL errors with their code and fields, which services decide on', async () => {
    const { db } = getDatabase();
    const table = `contract_${Math.random().toString(36).slice(2, 10)}`;
    await sql`create table ${sql.table(table)} (x int constraint ${sql.id(`${table}_x`)} unique)`.execute(db);
    try {
      await sql`insert into ${sql.table(table)} values (1)`.execute(db);
      const duplicate = sql`insert into ${sql.table(table)} values (1)`.execute(db);
      await expect(duplicate).rejects.toBeInstanceOf(Error);
      await expect(duplicate).rejects.toMatchObject({
        code: '23505',
        constraint: `${table}_x`,
        table,
        detail: 'Key (x)=(1) already exists.',
        message: expect.stringContaining('duplicate key'),
      });
    } finally {
      await sql`drop table ${sql.table(table)}`.execute(db);
    }
    const raised = sql`do $$ begin raise exception 'deadlock here' using errcode = '40P01', hint = 'retry'; end $$`.execute(db);
    await expect(raised).rejects.toMatchObject({ code: '40P01', message: 'deadlock here', hint: 'retry' });
  });

  it('reads int8 as a number and timestamptz as a Date', async () => {
    const { db } = getDatabase();
    const { rows } = await sql<{ n: unknown; at: unknown }>`
      select 9007199254740991::int8 as n, timestamptz '2025-01-02T03:04:05.678Z' as at`.execute(db);
    expect(rows[0]!.n).toBe(Number.MAX_SAFE_INTEGER);
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect((rows[0]!.at as Date).toISOString()).toBe('2025-01-02T03:04:05.678Z');
  });
}
