import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Rate-limit counters need no durability: written on every send, they were paying a WAL flush each; after a crash
// the limits start over, which is harmless.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rate_limits set unlogged`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table rate_limits set logged`.execute(db);
}
