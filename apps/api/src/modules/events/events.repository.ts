import { EVENT_VERSION, type DurableEvent, type Message } from '@youngchat/shared';
import { sql } from 'kysely';
import { REUSE_PLAN, type Db } from '../../ports/database.ts';
import { checkedEventJson } from '../../realtime/checked-event.ts';
import type { StreamEntry } from '../../realtime/stream.ts';
import { messageView, QUOTED, toMessage, type MessageRow } from '../messages/messages.api.ts';

/** A durable event as a writer hands it to the log. */
export interface LogEntry {
  roomId: string;
  /** Only this user's (their own view of the room); null: every member of the room at its position. */
  userId: string | null;
  membership: 'join' | 'leave' | null;
  event: DurableEvent;
}

export interface StreamHead {
  /** The last position given out. */
  pos: number;
  /** Positions at or below this are gone: a client resuming from before them resyncs. */
  prunedTo: number;
}

/**
 * Appends entries to the log inside the caller's transaction, numbered from the head. The head row stays locked
 * until commit, so positions are dense and become visible in order: a reader that has seen `pos` never later finds
 * a smaller one. Call it last in a transaction, so the lock is held briefly.
 */
export async function appendToLog(db: Db, entries: LogEntry[]): Promise<StreamEntry[]> {
  if (entries.length === 0) return [];
  const json = entries.map((e) => JSON.stringify(e.event));
  const { rows } = await sql<{ base: number }>`${sql.raw(REUSE_PLAN)}
    with head as (update stream_head set pos = pos + ${entries.length} where id = 1 returning pos - ${entries.length} as base),
    logged as (
      insert into stream_events (pos, room_id, user_id, membership, event, version)
      select head.base + e.ord, e.room_id, e.user_id, e.membership, e.event, ${EVENT_VERSION}::smallint
      from head, unnest(
        ${entries.map((_, i) => i + 1)}::int[], ${entries.map((e) => e.roomId)}::uuid[], ${entries.map((e) => e.userId)}::uuid[],
        ${entries.map((e) => e.membership)}::text[], ${json}::text[]
      ) as e (ord, room_id, user_id, membership, event)
    )
    select base from head`.execute(db);
  const base = rows[0]!.base;
  return entries.map((e, i) => ({ pos: base + i + 1, roomId: e.roomId, userId: e.userId, membership: e.membership, json: json[i]! }));
}

export async function readHead(db: Db): Promise<StreamHead> {
  const row = await db.selectFrom('stream_head').select(['pos', 'pruned_to']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { pos: row.pos, prunedTo: row.pruned_to };
}

/** Where a user's stream starts, all from one snapshot: the head, their rooms then, and who shares one with them. */
export async function readStart(db: Db, userId: string): Promise<StreamHead & { rooms: string[]; contacts: string[] }> {
  const { rows } = await sql<{ pos: number; pruned_to: number; rooms: string[]; contacts: string[] }>`${sql.raw(REUSE_PLAN)}
    select h.pos, h.pruned_to,
      array(select room_id::text from room_members where user_id = ${userId} and left_at is null) as rooms,
      array(
        select distinct theirs.user_id::text
        from room_members mine join room_members theirs on theirs.room_id = mine.room_id
        where mine.user_id = ${userId} and mine.left_at is null and theirs.left_at is null and theirs.user_id <> ${userId}
      ) as contacts
    from stream_head h where h.id = 1`.execute(db);
  const row = rows[0]!;
  return { pos: row.pos, prunedTo: row.pruned_to, rooms: row.rooms, contacts: row.contacts };
}

type LogRow = {
  pos: number;
  room_id: string;
  user_id: string | null;
  membership: 'join' | 'leave' | null;
  event: string | null;
  version: number;
  unread: number | null;
  pruned_to: number;
} & { [K in keyof MessageRow as `m_${K}`]: MessageRow[K] | null };

/** A new message's entry: every member of its room hears it. */
export function messageCreatedEntry(pos: number, message: Message): StreamEntry {
  const json = JSON.stringify({ type: 'message.created', roomId: message.roomId, message });
  return { pos, roomId: message.roomId, userId: null, membership: null, json };
}

/**
 * A message.created entry is rebuilt from its row, as it is now (edits and reads since included); any other is read
 * back checked (checked-event.ts), its problem noted in `problems`.
 */
function toEntry(row: LogRow, problems: string[]): StreamEntry {
  if (row.event !== null) {
    const { json, problem } = checkedEventJson(row.event, row.version);
    if (problem) problems.push(`position ${row.pos}: ${problem}`);
    return { pos: row.pos, roomId: row.room_id, userId: row.user_id, membership: row.membership, json };
  }
  const message = Object.fromEntries(
    Object.entries(row).filter(([key]) => key.startsWith('m_')).map(([key, value]) => [key.slice(2), value]),
  ) as unknown as MessageRow;
  return messageCreatedEntry(row.pos, toMessage(message, row.unread!));
}

/**
 * Entries in (after, upTo], oldest first, at most `limit`: all of them, or (with `reader`) those that may concern
 * one user: their own, and every member's in the rooms named. Also says how far the log is pruned, from the same
 * snapshot, so a reader can tell a gap from a prune.
 */
export async function readLog(
  db: Db,
  range: { after: number; upTo: number; limit: number },
  reader?: { userId: string; rooms: Iterable<string> },
): Promise<{ entries: StreamEntry[]; prunedTo: number; problems: string[] }> {
  const concerns = reader
    ? sql`and ((e.user_id is null and e.room_id = any(${[...reader.rooms]}::uuid[])) or e.user_id = ${reader.userId})`
    : sql``;
  const { rows } = await sql<LogRow>`
    select e.pos, e.room_id, e.user_id, e.membership, e.event, e.version,
      ${messageView('m_')},
      case when m.id is null then null else (
        select count(*)::int from room_members rm
        where rm.room_id = m.room_id and rm.left_at is null and rm.user_id <> m.sender_id
          and rm.joined_seq < m.seq and rm.last_read_seq < m.seq
      ) end as unread,
      (select pruned_to from stream_head where id = 1) as pruned_to
    from stream_events e left join messages m on m.id = e.message_id ${QUOTED}
    where e.pos > ${range.after} and e.pos <= ${range.upTo} ${concerns}
    order by e.pos
    limit ${range.limit}`.execute(db);
  const prunedTo = rows[0]?.pruned_to ?? (await readHead(db)).prunedTo;
  const problems: string[] = [];
  return { entries: rows.map((row) => toEntry(row, problems)), prunedTo, problems };
}

/** How many entries in (after, upTo] may concern the reader, counting no further than `atMost + 1`. */
export async function countForReader(
  db: Db,
  range: { after: number; upTo: number },
  reader: { userId: string; rooms: Iterable<string> },
  atMost: number,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from stream_events e
      where e.pos > ${range.after} and e.pos <= ${range.upTo}
        and ((e.user_id is null and e.room_id = any(${[...reader.rooms]}::uuid[])) or e.user_id = ${reader.userId})
      limit ${atMost + 1}
    ) x`.execute(db);
  return rows[0]!.n;
}

/** The user's own joins and leaves in (after, upTo], oldest first. */
export function membershipChanges(db: Db, userId: string, range: { after: number; upTo: number }) {
  return db
    .selectFrom('stream_events')
    .select(['pos', 'room_id', 'membership'])
    .where('user_id', '=', userId)
    .where('membership', 'is not', null)
    .where('pos', '>', range.after)
    .where('pos', '<=', range.upTo)
    .orderBy('pos')
    .execute();
}

/**
 * Deletes entries stored before `cutoff`, oldest first and a batch at a time, moving `pruned_to` with them in the
 * same statement (a reader sees both or neither); returns how many.
 */
export async function pruneEventsBefore(db: Db, cutoff: Date, batchSize = 10_000): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql<{ deleted: number }>`
      with cut as (
        select max(pos) as pos from (select pos, created_at from stream_events order by pos limit ${batchSize}) oldest
        where created_at < ${cutoff}
      ),
      gone as (delete from stream_events where pos <= (select pos from cut) returning 1),
      moved as (update stream_head set pruned_to = greatest(pruned_to, (select pos from cut)) where id = 1 and (select pos from cut) is not null)
      select count(*)::int as deleted from gone`.execute(db);
    const deleted = rows[0]!.deleted;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
