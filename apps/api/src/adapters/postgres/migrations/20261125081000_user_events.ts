import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Each user's durable events in commit order: `pos` comes from users.event_pos, incremented under that row's
// lock in the writing transaction (see docs/decisions/0004-event-positions.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('event_pos', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('user_events')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pos', 'bigint', (c) => c.notNull())
    .addColumn('event', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('user_events_pk', ['user_id', 'pos'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_events').execute();
  await db.schema.alterTable('users').dropColumn('event_pos').execute();
}
