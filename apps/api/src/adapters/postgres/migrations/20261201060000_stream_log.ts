import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// One commit-ordered log of durable events for every room, read by each user's stream through their rooms
// (fan-out on read), instead of one row per recipient (see docs/decisions/0007-delivery-engine.md).
export async function up(db: Kysely<any>): Promise<void> {
  // The log's head: the last position given out, taken under this row's lock by every writing transaction, so
  // positions are dense and commit-ordered. Positions at or below `pruned_to` are gone (retention).
  await db.schema
    .createTable('stream_head')
    .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('pos', 'bigint', (c) => c.notNull())
    .addColumn('pruned_to', 'bigint', (c) => c.notNull())
    .execute();
  // Start above every position the per-user logs gave out: a client resuming from one of those resyncs once.
  await sql`
    insert into stream_head (id, pos, pruned_to)
    select 1, coalesce(max(event_pos), 0), coalesce(max(event_pos), 0) from users`.execute(db);

  await db.schema
    .createTable('stream_events')
    .addColumn('pos', 'bigint', (c) => c.primaryKey())
    .addColumn('room_id', 'uuid', (c) => c.notNull())
    // Set: only this user sees it (their own view of the room). Null: every member of the room at `pos`.
    .addColumn('user_id', 'uuid')
    // For the user's own events that add them to the room or take them out of it.
    .addColumn('membership', 'text', (c) => c.check(sql`membership in ('join', 'leave')`))
    // message.created is rebuilt from its message row (no copy of the words); every other event is stored whole.
    .addColumn('message_id', 'uuid')
    .addColumn('event', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('stream_events_payload', sql`(message_id is null) <> (event is null)`)
    .execute();
  await sql`create index stream_events_room_idx on stream_events (room_id, pos) where user_id is null`.execute(db);
  await sql`create index stream_events_user_idx on stream_events (user_id, pos) where user_id is not null`.execute(db);

  await db.schema.dropTable('user_events').execute();
  await db.schema.alterTable('users').dropColumn('event_pos').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('event_pos', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('user_events')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pos', 'bigint', (c) => c.notNull())
    .addColumn('event', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('user_events_pk', ['user_id', 'pos'])
    .execute();
  await db.schema.createIndex('user_events_created_at_idx').on('user_events').column('created_at').execute();
  await db.schema.dropTable('stream_events').execute();
  await db.schema.dropTable('stream_head').execute();
}
