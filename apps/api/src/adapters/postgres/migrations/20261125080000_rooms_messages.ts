import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rooms')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('direct', 'group')`))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    // "<smaller user id>:<larger user id>" for 1:1 rooms, so opening one is idempotent per pair.
    .addColumn('direct_key', 'text', (c) => c.unique())
    // The per-room message counter; the send transaction locks this row, so seq order is commit order.
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('room_members')
    .addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Members see history from the message after this seq (the room's last_seq when they joined).
    .addColumn('joined_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_read_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('left_at', 'timestamptz')
    .addPrimaryKeyConstraint('room_members_pk', ['room_id', 'user_id'])
    .execute();
  await sql`create index room_members_user_active_idx on room_members (user_id) where left_at is null`.execute(db);

  await db.schema
    .createTable('messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('sender_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('client_id', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    // Keyset history reads this index backwards: (room_id = ? and seq < cursor) order by seq desc.
    .addUniqueConstraint('messages_room_seq_key', ['room_id', 'seq'])
    // Idempotent send: a retry with the same clientId finds the original row.
    .addUniqueConstraint('messages_sender_client_key', ['sender_id', 'client_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('messages').execute();
  await db.schema.dropTable('room_members').execute();
  await db.schema.dropTable('rooms').execute();
}
