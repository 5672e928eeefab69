import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Each stored event says which shape it has, so a server reading an event of another shape can tell.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table stream_events add column version smallint not null default 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table stream_events drop column version`.execute(db);
}
