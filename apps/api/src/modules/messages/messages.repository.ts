import { sql, type Selectable } from 'kysely';
import type { Db, MessagesTable } from '../../ports/database.ts';

/** Every column of a message is public to the room's members. */
export type MessageRow = Selectable<MessagesTable>;

const COLUMNS = ['id', 'room_id', 'seq', 'sender_id', 'body', 'client_id', 'created_at', 'edited_at', 'deleted_at'] as const;

export function findBySenderClientId(db: Db, senderId: string, clientId: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .select(COLUMNS)
    .where('sender_id', '=', senderId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}

export function findMessage(db: Db, id: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * Takes the room's next seq for a current member's message. The update locks the room row until commit, so seq
 * order is commit order; undefined when the sender is not a member (one statement does both).
 */
export async function takeNextSeq(db: Db, roomId: string, senderId: string): Promise<number | undefined> {
  const row = await db
    .updateTable('rooms')
    .set({ last_seq: sql<number>`last_seq + 1`, last_message_at: sql<Date>`now()` })
    .where('id', '=', roomId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('room_members')
          .select('user_id')
          .where('room_id', '=', roomId)
          .where('user_id', '=', senderId)
          .where('left_at', 'is', null),
      ),
    )
    .returning('last_seq')
    .executeTakeFirst();
  return row?.last_seq;
}

/**
 * Inserts a message at `seq` and moves its sender's read position to it, in one statement. Undefined when the
 * sender already used this clientId: the insert waits for a concurrent original to commit, then yields to it.
 */
export async function insertMessage(
  db: Db,
  message: { id: string; roomId: string; seq: number; senderId: string; body: string; clientId: string },
): Promise<MessageRow | undefined> {
  return db
    .with('inserted', (q) =>
      q
        .insertInto('messages')
        .values({
          id: message.id,
          room_id: message.roomId,
          seq: message.seq,
          sender_id: message.senderId,
          body: message.body,
          client_id: message.clientId,
        })
        .onConflict((oc) => oc.columns(['sender_id', 'client_id']).doNothing())
        .returning(COLUMNS),
    )
    .with('read', (q) =>
      q
        .updateTable('room_members')
        .set({ last_read_seq: sql<number>`greatest(last_read_seq, ${message.seq}::bigint)` })
        .where('room_id', '=', message.roomId)
        .where('user_id', '=', message.senderId)
        .where(({ exists, selectFrom }) => exists(selectFrom('inserted').select('inserted.id')))
        .returning('user_id'),
    )
    .selectFrom('inserted')
    .select(COLUMNS)
    .executeTakeFirst();
}

/**
 * One page of history, newest first: `seq < before`, never older than what the member may see.
 * Keyset on the (room_id, seq) unique index; no OFFSET, so page 1 and page 10,000 cost the same.
 */
export function listPage(db: Db, roomId: string, options: { before: number | null; after: number; limit: number }): Promise<MessageRow[]> {
  let query = db
    .selectFrom('messages')
    .select(COLUMNS)
    .where('room_id', '=', roomId)
    .where('seq', '>', options.after);
  if (options.before !== null) query = query.where('seq', '<', options.before);
  return query.orderBy('seq', 'desc').limit(options.limit).execute();
}

/** The newest message of each room. */
export async function lastMessages(db: Db, roomIds: string[]): Promise<Map<string, MessageRow>> {
  if (roomIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('rooms as r')
    .innerJoin('messages as m', (join) => join.onRef('m.room_id', '=', 'r.id').onRef('m.seq', '=', 'r.last_seq'))
    .select(COLUMNS.map((c) => `m.${c}` as const))
    .where('r.id', 'in', roomIds)
    .execute();
  return new Map(rows.map((r) => [r.room_id, r]));
}

export function updateBody(db: Db, id: string, body: string): Promise<MessageRow | undefined> {
  return db
    .updateTable('messages')
    .set({ body, edited_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** Keeps the row (its seq stays in the history as "deleted") but not the words. */
export function softDelete(db: Db, id: string): Promise<MessageRow | undefined> {
  return db
    .updateTable('messages')
    .set({ body: '', deleted_at: sql<Date>`coalesce(deleted_at, now())` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();
}
