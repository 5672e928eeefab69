import { sql, type Selectable } from 'kysely';
import { REUSE_PLAN, type Db, type MessagesTable } from '../../ports/database.ts';

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

export interface NewMessage {
  id: string;
  roomId: string;
  senderId: string;
  body: string;
  clientId: string;
  createdAt: Date;
}

/** A message of the batch that was stored, with its place in the room and in the log. */
export interface StoredSend {
  id: string;
  seq: number;
  pos: number;
  /** Members who have not read it: everyone in the room but its sender. */
  unread: number;
}

/**
 * Stores a batch of messages in one statement, so the whole batch costs one round trip and one commit (group
 * commit). Each room's counter row is locked (in id order, so concurrent batches cannot deadlock) and gives the
 * room's messages their seqs; the log's head, locked last, gives each message its position. A message from someone
 * not in the room, or a retry of a clientId already stored, is left out before anything is numbered, so neither
 * leaves a hole in the room's seqs; the caller tells those apart. Rows come back in the input's order.
 */
export async function insertSends(db: Db, sends: NewMessage[]): Promise<StoredSend[]> {
  const { rows } = await sql<StoredSend>`${sql.raw(REUSE_PLAN)}
    with input as (
      select * from unnest(
        ${sends.map((_, i) => i)}::int[], ${sends.map((m) => m.id)}::uuid[], ${sends.map((m) => m.roomId)}::uuid[],
        ${sends.map((m) => m.senderId)}::uuid[], ${sends.map((m) => m.body)}::text[], ${sends.map((m) => m.clientId)}::uuid[],
        ${sends.map((m) => m.createdAt)}::timestamptz[]
      ) as t (ord, id, room_id, sender_id, body, client_id, created_at)
    ),
    accepted as (
      select i.* from input i
      where exists (select 1 from room_members rm where rm.room_id = i.room_id and rm.user_id = i.sender_id and rm.left_at is null)
        and not exists (select 1 from messages m where m.sender_id = i.sender_id and m.client_id = i.client_id)
    ),
    locked as (
      select r.id, r.last_seq from rooms r where r.id in (select room_id from accepted) order by r.id for update
    ),
    counted as (
      update rooms r set last_seq = l.last_seq + c.n, last_message_at = c.at
      from locked l, (select room_id, count(*)::int as n, max(created_at) as at from accepted group by room_id) c
      where r.id = l.id and c.room_id = l.id
      returning r.id, l.last_seq as base
    ),
    numbered as (
      select a.*, c.base + row_number() over (partition by a.room_id order by a.ord) as seq
      from accepted a join counted c on c.id = a.room_id
    ),
    inserted as (
      insert into messages (id, room_id, seq, sender_id, body, client_id, created_at)
      select id, room_id, seq, sender_id, body, client_id, created_at from numbered
      returning id
    ),
    read as (
      update room_members rm set last_read_seq = greatest(rm.last_read_seq, s.seq)
      from (select room_id, sender_id, max(seq) as seq from numbered group by room_id, sender_id) s
      where rm.room_id = s.room_id and rm.user_id = s.sender_id
    ),
    head as (
      update stream_head set pos = pos + (select count(*) from inserted) where id = 1
      returning pos - (select count(*) from inserted) as base
    ),
    positioned as (
      select n.*, h.base + row_number() over (order by n.ord) as pos from numbered n, head h
    ),
    logged as (
      insert into stream_events (pos, room_id, message_id) select pos, room_id, id from positioned
    )
    select p.id, p.seq, p.pos,
      (select count(*)::int from room_members rm where rm.room_id = p.room_id and rm.left_at is null) - 1 as unread
    from positioned p
    order by p.ord`.execute(db);
  return rows;
}

/**
 * One page of a member's history, newest first, in one statement: the membership check and the page (`seq <
 * before`, from the member's arrival on) — the bare keyset query and one index lookup. Undefined for someone who is
 * not a member now. The unread numbers come from the room's roster (messages.rosters.ts).
 */
export async function pageFor(
  db: Db,
  roomId: string,
  viewerId: string,
  options: { before: number | null; limit: number },
): Promise<MessageRow[] | undefined> {
  const { rows } = await sql<Partial<MessageRow>>`${sql.raw(REUSE_PLAN)}
    select p.id, p.room_id, p.seq, p.sender_id, p.body, p.client_id, p.created_at, p.edited_at, p.deleted_at
    from (select joined_seq from room_members where room_id = ${roomId} and user_id = ${viewerId} and left_at is null) v
    left join lateral (
      select id, room_id, seq, sender_id, body, client_id, created_at, edited_at, deleted_at from messages
      where room_id = ${roomId} and seq > v.joined_seq and seq < ${options.before ?? Number.MAX_SAFE_INTEGER}
      order by seq desc
      limit ${options.limit}
    ) p on true
    order by p.seq desc`.execute(db);
  if (rows.length === 0) return undefined;
  return rows.filter((row): row is MessageRow => row.id != null);
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

/** Everything one person wrote, oldest first (their data export). */
export function messagesBySender(db: Db, senderId: string): Promise<MessageRow[]> {
  return db.selectFrom('messages').select(COLUMNS).where('sender_id', '=', senderId).orderBy('created_at').orderBy('id').execute();
}
