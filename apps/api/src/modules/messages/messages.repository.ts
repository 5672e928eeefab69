import { LIMITS } from '@youngchat/shared';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { REUSE_PLAN, type Db, type MessagesTable, type StoredPhoto } from '../../ports/database.ts';

/** A message as its room's members see it: every column of its own, and what it quotes of the one it answers. */
export interface MessageRow extends Selectable<MessagesTable> {
  reply_sender_id: string | null;
  reply_body: string | null;
  reply_deleted: boolean | null;
  reply_photo: boolean | null;
}

/** MessageRow's columns, `m` being the message and `r` the one it answers (joined by QUOTED). */
const VIEW: Record<keyof MessageRow, string> = {
  id: 'm.id',
  room_id: 'm.room_id',
  seq: 'm.seq',
  sender_id: 'm.sender_id',
  body: 'm.body',
  client_id: 'm.client_id',
  created_at: 'm.created_at',
  edited_at: 'm.edited_at',
  deleted_at: 'm.deleted_at',
  reply_to_id: 'm.reply_to_id',
  photo: 'm.photo',
  reactions: 'm.reactions',
  reply_sender_id: 'r.sender_id',
  reply_body: `left(r.body, ${LIMITS.replySnippetChars})`,
  reply_deleted: 'r.deleted_at is not null',
  reply_photo: 'r.photo is not null',
};

/** The select list of a MessageRow, each column named with `prefix` before it. */
export const messageView = (prefix = '') =>
  sql.raw(Object.entries(VIEW).map(([name, expression]) => `${expression} as ${prefix}${name}`).join(', '));
const VIEW_ALL = messageView();
export const QUOTED = sql.raw('left join messages r on r.id = m.reply_to_id');

async function viewOne(db: Db, query: RawBuilder<unknown>): Promise<MessageRow | undefined> {
  const { rows } = await sql<MessageRow>`${query}`.execute(db);
  return rows[0];
}

export function findBySenderClientId(db: Db, senderId: string, clientId: string): Promise<MessageRow | undefined> {
  return viewOne(db, sql`select ${VIEW_ALL} from messages m ${QUOTED} where m.sender_id = ${senderId} and m.client_id = ${clientId}`);
}

export function findMessage(db: Db, id: string): Promise<MessageRow | undefined> {
  return viewOne(db, sql`select ${VIEW_ALL} from messages m ${QUOTED} where m.id = ${id}`);
}

/** A message someone may answer: not deleted, in this room, and said since they arrived in it. */
export function findQuotable(db: Db, id: string, roomId: string, viewerId: string): Promise<MessageRow | undefined> {
  return viewOne(
    db,
    sql`select ${VIEW_ALL} from messages m ${QUOTED}
      join room_members v on v.room_id = m.room_id and v.user_id = ${viewerId} and v.left_at is null and v.joined_seq < m.seq
      where m.id = ${id} and m.room_id = ${roomId} and m.deleted_at is null`,
  );
}

export interface NewMessage {
  id: string;
  roomId: string;
  senderId: string;
  body: string;
  clientId: string;
  createdAt: Date;
  /** The message it answers (checked quotable), as it was read. */
  replyTo: MessageRow | null;
  photo: StoredPhoto | null;
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
 * A send does not move its sender's read position (decision 0007): only rooms.markRead does, with an event.
 */
export async function insertSends(db: Db, sends: NewMessage[]): Promise<StoredSend[]> {
  const { rows } = await sql<StoredSend>`${sql.raw(REUSE_PLAN)}
    with input as (
      select * from unnest(
        ${sends.map((_, i) => i)}::int[], ${sends.map((m) => m.id)}::uuid[], ${sends.map((m) => m.roomId)}::uuid[],
        ${sends.map((m) => m.senderId)}::uuid[], ${sends.map((m) => m.body)}::text[], ${sends.map((m) => m.clientId)}::uuid[],
        ${sends.map((m) => m.createdAt)}::timestamptz[], ${sends.map((m) => m.replyTo?.id ?? null)}::uuid[],
        ${sends.map((m) => (m.photo ? JSON.stringify(m.photo) : null))}::text[]
      ) as t (ord, id, room_id, sender_id, body, client_id, created_at, reply_to_id, photo)
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
      insert into messages (id, room_id, seq, sender_id, body, client_id, created_at, reply_to_id, photo)
      select id, room_id, seq, sender_id, body, client_id, created_at, reply_to_id, photo::jsonb from numbered
      returning id
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

/** Where a page of a room's history ends: its messages are those below `before` (null: from the newest). */
export interface PageAddress {
  roomId: string;
  before: number | null;
}

/** A message of a page read by pagesOf, with the page's place (from 1) in the order asked. */
export interface PageRow extends MessageRow {
  page: number;
}

/**
 * Pages of history, each newest first, at most `limit` messages, in the order asked: the bare keyset query for each,
 * with what each message quotes, all in one statement (one round trip however many). The caller checks membership
 * and where the reader's history starts (messages.rosters.ts). The limit is written into the statement so that
 * PostgreSQL plans it once per connection: with a parameter there (or a second bound on seq), it cannot tell how
 * few rows are wanted and plans every page anew, costing more than the page.
 */
export async function pagesOf(db: Db, pages: readonly PageAddress[], limit: number): Promise<PageRow[][]> {
  const { rows } = await sql<PageRow>`${sql.raw(REUSE_PLAN)}
    select p.page::int as page, found.* from unnest(${pages.map((p) => p.roomId)}::uuid[], ${pages.map((p) => p.before ?? Number.MAX_SAFE_INTEGER)}::bigint[])
      with ordinality as p(room_id, before, page)
    cross join lateral (
      select ${VIEW_ALL} from messages m ${QUOTED}
      where m.room_id = p.room_id and m.seq < p.before
      order by m.seq desc
      limit ${sql.lit(Math.trunc(limit))}
    ) found
    order by p.page, found.seq desc`.execute(db);
  const result = pages.map((): PageRow[] => []);
  for (const row of rows) result[row.page - 1]!.push(row);
  return result;
}

/** The newest message of each room. */
export async function lastMessages(db: Db, roomIds: string[]): Promise<Map<string, MessageRow>> {
  if (roomIds.length === 0) return new Map();
  const { rows } = await sql<MessageRow>`
    select ${VIEW_ALL} from rooms o join messages m on m.room_id = o.id and m.seq = o.last_seq ${QUOTED}
    where o.id = any(${roomIds}::uuid[])`.execute(db);
  return new Map(rows.map((r) => [r.room_id, r]));
}

/** Changes one message that is not deleted, and reads it back as members see it. */
function changeLive(db: Db, id: string, set: RawBuilder<unknown>): Promise<MessageRow | undefined> {
  return viewOne(
    db,
    sql`with m as (update messages set ${set} where id = ${id} and deleted_at is null returning *)
      select ${VIEW_ALL} from m ${QUOTED}`,
  );
}

export function updateBody(db: Db, id: string, body: string): Promise<MessageRow | undefined> {
  return changeLive(db, id, sql`body = ${body}, edited_at = now()`);
}

/** Gives the reaction from this person, or takes it back if they had given it. */
export function toggleReaction(db: Db, id: string, userId: string, emoji: string): Promise<MessageRow | undefined> {
  const [who, what] = [sql`${userId}::text`, sql`${emoji}::text`];
  const given = sql`coalesce(reactions -> ${what}, '[]'::jsonb)`;
  return changeLive(
    db,
    id,
    sql`reactions = case
      when ${given} ? ${who} then
        case when jsonb_array_length(${given}) = 1 then reactions - ${what} else jsonb_set(reactions, array[${what}], ${given} - ${who}) end
      else jsonb_set(reactions, array[${what}], ${given} || to_jsonb(${who}))
    end`,
  );
}

/** Keeps the row (its seq stays in the history as "deleted") but not the words, the photo or the reactions. */
export async function softDelete(db: Db, id: string): Promise<MessageRow | undefined> {
  return viewOne(
    db,
    sql`with m as (
        update messages set body = '', photo = null, reactions = '{}', deleted_at = coalesce(deleted_at, now())
        where id = ${id} returning *
      )
      select ${VIEW_ALL} from m ${QUOTED}`,
  );
}

/** Everything one person wrote, oldest first (their data export). */
export async function messagesBySender(db: Db, senderId: string): Promise<MessageRow[]> {
  const { rows } = await sql<MessageRow>`
    select ${VIEW_ALL} from messages m ${QUOTED} where m.sender_id = ${senderId} order by m.created_at, m.id`.execute(db);
  return rows;
}
