import { randomUUID } from 'node:crypto';
import type { Room } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import type { Stream } from '../../realtime/stream.ts';
import { AppError } from '../../app-error.ts';
import { blockersAmong } from '../blocks/blocks.api.ts';
import { commitWithEvents, type Change, type LogEntry } from '../events/events.api.ts';
import { lastMessages } from '../messages/messages.api.ts';
import { findUsersByIds, toUser } from '../users/users.api.ts';
import { toRoom } from './rooms.mapper.ts';
import { notAMember, requireMember } from './rooms.policy.ts';
import {
  activeMembers,
  addMembers,
  directKey,
  findDirectRoomId,
  findRoom,
  insertGroupRoom,
  leaveRoom,
  lockRoom,
  markRead,
  roomsOf,
  unreadCounts,
  upsertDirectRoom,
  type RoomRow,
} from './rooms.repository.ts';

export function createRoomsService({ db, stream }: { db: Db; stream: Stream }) {
  /**
   * Rooms as the viewer sees them, with members, last message and unread count, in a fixed number of queries;
   * `from` is a transaction when the view goes into an event of that transaction.
   */
  async function present(viewerId: string, rooms: RoomRow[], from: Db = db): Promise<Room[]> {
    const ids = rooms.map((r) => r.id);
    const [memberRows, last, unread] = await Promise.all([
      activeMembers(from, ids),
      lastMessages(from, ids),
      unreadCounts(from, viewerId, ids),
    ]);
    const users = new Map((await findUsersByIds(from, [...new Set(memberRows.map((m) => m.user_id))])).map((u) => [u.id, u]));
    return rooms.map((room) => {
      const rows = memberRows.filter((m) => m.room_id === room.id);
      return toRoom(room, viewerId, {
        members: rows.flatMap((m) => {
          const user = users.get(m.user_id);
          return user ? [toUser(user, viewerId)] : [];
        }),
        memberRows: rows,
        lastMessage: last.get(room.id),
        unreadCount: unread.get(room.id) ?? 0,
      });
    });
  }

  async function presentOne(viewerId: string, roomId: string, from: Db = db): Promise<Room> {
    const room = await findRoom(from, roomId);
    if (!room) throw notAMember();
    const [presented] = await present(viewerId, [room], from);
    return presented!;
  }

  /**
   * Each listed user's own view of the room, as a durable event in the change's transaction; `membership` marks the
   * ones that add them to the room or take them out of it (their streams start or stop hearing the room there).
   */
  async function roomEvents(
    tx: Db,
    roomId: string,
    type: 'room.created' | 'room.updated',
    userIds: string[],
    membership: LogEntry['membership'] = null,
  ): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    for (const userId of userIds) entries.push({ roomId, userId, membership, event: { type, room: await presentOne(userId, roomId, tx) } });
    return entries;
  }

  const commitAndRelay = <T>(change: (tx: Db) => Promise<Change<T>>) => commitWithEvents(db, stream, change);

  const memberIds = async (tx: Db, roomId: string) => (await activeMembers(tx, [roomId])).map((m) => m.user_id);

  /** Those named, without anyone who has blocked the viewer: a blocker is never pulled back into a room. */
  async function withoutBlockers(tx: Db, viewerId: string, userIds: string[]): Promise<string[]> {
    const blockers = await blockersAmong(tx, viewerId, userIds);
    return userIds.filter((u) => !blockers.has(u));
  }

  async function leave(viewerId: string, roomId: string): Promise<{ ok: true }> {
    return commitAndRelay(async (tx) => {
      if (!(await leaveRoom(tx, roomId, viewerId))) throw notAMember();
      // The leaver gets the room without them in it (their other devices drop it), then nothing more.
      const events = [
        ...(await roomEvents(tx, roomId, 'room.updated', await memberIds(tx, roomId))),
        ...(await roomEvents(tx, roomId, 'room.updated', [viewerId], 'leave')),
      ];
      return { result: { ok: true as const }, events };
    });
  }

  /** Everyone named must have an account. */
  async function assertUsersExist(userIds: string[]): Promise<void> {
    const found = await findUsersByIds(db, userIds);
    if (found.length !== new Set(userIds).size) throw new AppError('NOT_FOUND', 'Some of these people do not exist.');
  }

  return {
    list: async (viewerId: string) => present(viewerId, await roomsOf(db, viewerId)),

    async get(viewerId: string, roomId: string): Promise<Room> {
      await requireMember(db, roomId, viewerId);
      return presentOne(viewerId, roomId);
    },

    /**
     * The same room for a pair, whoever opens it and however often. Someone the other person has blocked gets
     * the room without them in it.
     */
    async openDirect(viewerId: string, otherId: string): Promise<Room> {
      if (otherId === viewerId) throw new AppError('BAD_INPUT', 'Choose someone else to talk to.');
      await assertUsersExist([otherId]);
      if ((await blockersAmong(db, otherId, [viewerId])).size > 0) {
        throw new AppError('BLOCKED', 'You blocked this person. Unblock them to talk again.');
      }
      const roomId = await commitAndRelay(async (tx) => {
        const key = directKey(viewerId, otherId);
        const id = await upsertDirectRoom(tx, randomUUID(), key);
        const room = await lockRoom(tx, id);
        const before = await memberIds(tx, id);
        const joining = await withoutBlockers(tx, viewerId, [viewerId, otherId]);
        // Someone who left (blocking leaves) and comes back reads from here on, as in a group.
        await addMembers(tx, id, joining, room!.last_seq);
        const arrived = joining.filter((u) => !before.includes(u));
        return { result: id, events: await roomEvents(tx, id, 'room.created', arrived, 'join') };
      });
      return presentOne(viewerId, roomId);
    },

    async createGroup(viewerId: string, name: string, memberIds: string[]): Promise<Room> {
      const named = [...new Set(memberIds)].filter((id) => id !== viewerId);
      await assertUsersExist(named);
      const roomId = randomUUID();
      await commitAndRelay(async (tx) => {
        const others = await withoutBlockers(tx, viewerId, named);
        await insertGroupRoom(tx, roomId, name);
        await addMembers(tx, roomId, [viewerId, ...others], 0);
        return { result: roomId, events: await roomEvents(tx, roomId, 'room.created', [viewerId, ...others], 'join') };
      });
      return presentOne(viewerId, roomId);
    },

    async invite(viewerId: string, roomId: string, userIds: string[]): Promise<Room> {
      await requireMember(db, roomId, viewerId);
      await assertUsersExist(userIds);
      await commitAndRelay(async (tx) => {
        const room = await lockRoom(tx, roomId);
        if (room?.kind !== 'group') throw new AppError('BAD_INPUT', 'Only group rooms take new members.');
        const before = await memberIds(tx, roomId);
        const arrived = (await withoutBlockers(tx, viewerId, [...new Set(userIds)])).filter((u) => !before.includes(u));
        // Newcomers and returning members read from here on.
        await addMembers(tx, roomId, arrived, room.last_seq);
        const events = [
          ...(await roomEvents(tx, roomId, 'room.created', arrived, 'join')),
          ...(await roomEvents(tx, roomId, 'room.updated', before)),
        ];
        return { result: undefined, events };
      });
      return presentOne(viewerId, roomId);
    },

    leave,

    /** Takes the person out of every room they are in (their account is going). */
    async leaveAll(userId: string): Promise<void> {
      for (const room of await roomsOf(db, userId)) await leave(userId, room.id);
    },

    /** Leaves the 1:1 room with `otherId`, if the viewer is in one. */
    async leaveDirectWith(viewerId: string, otherId: string): Promise<void> {
      const roomId = await findDirectRoomId(db, directKey(viewerId, otherId));
      if (roomId && (await memberIds(db, roomId)).includes(viewerId)) await leave(viewerId, roomId);
    },

    /**
     * Everyone in the room learns the new read position (their messages' unread numbers drop): one entry for the
     * room, whatever its size, and the reader's own view of the room (its unread count).
     */
    async markRead(viewerId: string, roomId: string, seq: number): Promise<{ roomId: string; seq: number }> {
      return commitAndRelay(async (tx) => {
        const readSeq = await markRead(tx, roomId, viewerId, seq);
        if (readSeq === undefined) throw notAMember();
        const events: LogEntry[] = [
          { roomId, userId: null, membership: null, event: { type: 'room.read', roomId, userId: viewerId, seq: readSeq } },
          ...(await roomEvents(tx, roomId, 'room.updated', [viewerId])),
        ];
        return { result: { roomId, seq: readSeq }, events };
      });
    },

    /** Ephemeral: relayed to the other members' sockets on every instance, never stored. */
    async setTyping(viewerId: string, roomId: string): Promise<{ ok: true }> {
      await requireMember(db, roomId, viewerId);
      const others = (await memberIds(db, roomId)).filter((u) => u !== viewerId);
      await stream.publishEphemeral(others, { type: 'typing', roomId, userId: viewerId });
      return { ok: true };
    },
  };
}

export type RoomsService = ReturnType<typeof createRoomsService>;
