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
}
