import { sql, type Selectable } from 'kysely';
import type { Db, RoomMembersTable, RoomsTable } from '../../ports/database.ts';

const ROOM_COLUMNS = ['id', 'kind', 'name', 'last_seq', 'last_message_at', 'created_at'] as const;
const MEMBER_COLUMNS = ['room_id', 'user_id', 'joined_seq', 'last_read_seq', 'left_at'] as const;

export type RoomRow = Pick<Selectable<RoomsTable>, (typeof ROOM_COLUMNS)[number]>;
export type MemberRow = Pick<Selectable<RoomMembersTable>, (typeof MEMBER_COLUMNS)[number]>;

/** "<smaller id>:<larger id>": one direct room per pair, whoever opens it. */
export const directKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Creates the pair's room, or finds the one that exists (also when two openers race). */
export async function upsertDirectRoom(db: Db, id: string, key: string): Promise<string> {
  const inserted = await db
    .insertInto('rooms')
    .values({ id, kind: 'direct', direct_key: key })
    .onConflict((oc) => oc.column('direct_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await db.selectFrom('rooms').select('id').where('direct_key', '=', key).executeTakeFirstOrThrow();
  return existing.id;
}

export async function findDirectRoomId(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('rooms').select('id').where('direct_key', '=', key).executeTakeFirst();
  return row?.id;
}

export async function insertGroupRoom(db: Db, id: string, name: string): Promise<void> {
  await db.insertInto('rooms').values({ id, kind: 'group', name }).execute();
}

/**
 * Adds members, or brings back ones who left; members already in stay as they are. Whoever arrives — new or
 * returning — reads from the message after `joinedSeq`: what was said while someone was away is not theirs to read
 * (docs/decisions/0009). Pass the room's last seq, read under its lock.
 */
export async function addMembers(db: Db, roomId: string, userIds: string[], joinedSeq: number): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('room_members')
    .values(userIds.map((user_id) => ({ room_id: roomId, user_id, joined_seq: joinedSeq, last_read_seq: joinedSeq })))
    .onConflict((oc) =>
      oc
        .columns(['room_id', 'user_id'])
        .doUpdateSet((eb) => ({ left_at: null, joined_seq: eb.ref('excluded.joined_seq'), last_read_seq: eb.ref('excluded.last_read_seq') }))
        .where('room_members.left_at', 'is not', null),
    )
    .execute();
}

export function findRoom(db: Db, roomId: string): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').select(ROOM_COLUMNS).where('id', '=', roomId).executeTakeFirst();
}

/** The room row, locked until the transaction ends: the per-room counter that orders messages. */
export function lockRoom(db: Db, roomId: string): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').select(ROOM_COLUMNS).where('id', '=', roomId).forUpdate().executeTakeFirst();
}

export function findMembership(db: Db, roomId: string, userId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('room_members')
    .select(MEMBER_COLUMNS)
    .where('room_id', '=', roomId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Current members of these rooms (those who left are gone from the room). */
export function activeMembers(db: Db, roomIds: string[]): Promise<MemberRow[]> {
  if (roomIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('room_members')
    .select(MEMBER_COLUMNS)
    .where('room_id', 'in', roomIds)
    .where('left_at', 'is', null)
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute();
}

/** The viewer's rooms, most recent activity first. */
export function roomsOf(db: Db, userId: string): Promise<RoomRow[]> {
  return db
    .selectFrom('rooms')
    .innerJoin('room_members as m', 'm.room_id', 'rooms.id')
    .select(ROOM_COLUMNS.map((c) => `rooms.${c}` as const))
    .where('m.user_id', '=', userId)
    .where('m.left_at', 'is', null)
    .orderBy(sql`coalesce(rooms.last_message_at, rooms.created_at)`, 'desc')
    .orderBy('rooms.id')
    .execute();
}

/** Everyone who shares a room with each of `userIds`, in one query. */
export async function contactsOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const contacts = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return contacts;
  const rows = await db
    .selectFrom('room_members as mine')
    .innerJoin('room_members as theirs', 'theirs.room_id', 'mine.room_id')
    .select(['mine.user_id as user_id', 'theirs.user_id as contact_id'])
    .distinct()
    .where('mine.user_id', 'in', userIds)
    .where('mine.left_at', 'is', null)
    .where('theirs.left_at', 'is', null)
    .whereRef('theirs.user_id', '<>', 'mine.user_id')
    .execute();
  for (const row of rows) contacts.get(row.user_id)!.push(row.contact_id);
  return contacts;
}

export async function leaveRoom(db: Db, roomId: string, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('room_members')
    .set({ left_at: sql<Date>`now()` })
    .where('room_id', '=', roomId)
    .where('user_id', '=', userId)
    .where('left_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Moves the read position forward only, and never past the last message. */
export async function markRead(db: Db, roomId: string, userId: string, seq: number): Promise<number | undefined> {
  const row = await db
    .updateTable('room_members')
    .set({
      last_read_seq: sql<number>`greatest(last_read_seq, least(${seq}::bigint, (select last_seq from rooms where id = ${roomId})))`,
    })
    .where('room_id', '=', roomId)
    .where('user_id', '=', userId)
    .where('left_at', 'is', null)
    .returning('last_read_seq')
    .executeTakeFirst();
  return row?.last_read_seq;
}

/** Unread messages per room for one viewer: others' messages after the viewer's read position. */
export async function unreadCounts(db: Db, userId: string, roomIds: string[]): Promise<Map<string, number>> {
  if (roomIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('room_members as m')
    .innerJoin('messages as msg', (join) =>
      join.onRef('msg.room_id', '=', 'm.room_id').on(sql<boolean>`msg.seq > m.last_read_seq`),
    )
    .select(['m.room_id', sql<number>`count(*)::int`.as('n')])
    .where('m.user_id', '=', userId)
    .where('m.room_id', 'in', roomIds)
    .where('msg.sender_id', '<>', userId)
    .where('msg.deleted_at', 'is', null)
    .groupBy('m.room_id')
    .execute();
  return new Map(rows.map((r) => [r.room_id, r.n]));
}
