import { randomUUID } from 'node:crypto';
import type { Room } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import { AppError } from '../../trpc/errors.ts';
import { lastMessages } from '../messages/messages.repository.ts';
import { toUser } from '../users/users.mapper.ts';
import { findUsersByIds } from '../users/users.repository.ts';
import { toRoom } from './chat.mapper.ts';
import { requireMember } from './rooms.policy.ts';
import {
  activeMembers,
  addMembers,
  directKey,
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

export function createRoomsService({ db, bus }: { db: Db; bus: EventBus }) {
  /** Rooms as the viewer sees them, with members, last message and unread count, in a fixed number of queries. */
  async function present(viewerId: string, rooms: RoomRow[]): Promise<Room[]> {
    const ids = rooms.map((r) => r.id);
    const [memberRows, last, unread] = await Promise.all([
      activeMembers(db, ids),
      lastMessages(db, ids),
      unreadCounts(db, viewerId, ids),
    ]);
    const users = new Map((await findUsersByIds(db, [...new Set(memberRows.map((m) => m.user_id))])).map((u) => [u.id, u]));
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

  async function presentOne(viewerId: string, roomId: string): Promise<Room> {
    const room = await findRoom(db, roomId);
    if (!room) throw new AppError('FORBIDDEN', 'You are not a member of this room.');
    const [presented] = await present(viewerId, [room]);
    return presented!;
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

    /** The same room for a pair, whoever opens it and however often. */
    async openDirect(viewerId: string, otherId: string): Promise<Room> {
      if (otherId === viewerId) throw new AppError('BAD_INPUT', 'Choose someone else to talk to.');
      await assertUsersExist([otherId]);
      const roomId = await db.transaction().execute(async (tx) => {
        const id = await upsertDirectRoom(tx, randomUUID(), directKey(viewerId, otherId));
        await addMembers(tx, id, [viewerId, otherId], 0);
        return id;
      });
      return presentOne(viewerId, roomId);
    },

    async createGroup(viewerId: string, name: string, memberIds: string[]): Promise<Room> {
      const others = [...new Set(memberIds)].filter((id) => id !== viewerId);
      await assertUsersExist(others);
      const roomId = randomUUID();
      await db.transaction().execute(async (tx) => {
        await insertGroupRoom(tx, roomId, name);
        await addMembers(tx, roomId, [viewerId, ...others], 0);
      });
      return presentOne(viewerId, roomId);
    },

    async invite(viewerId: string, roomId: string, userIds: string[]): Promise<Room> {
      await requireMember(db, roomId, viewerId);
      await assertUsersExist(userIds);
      await db.transaction().execute(async (tx) => {
        const room = await lockRoom(tx, roomId);
        if (room?.kind !== 'group') throw new AppError('BAD_INPUT', 'Only group rooms take new members.');
        // Newcomers read from here on, not the conversation before them.
        await addMembers(tx, roomId, [...new Set(userIds)], room.last_seq);
      });
      return presentOne(viewerId, roomId);
    },

    async leave(viewerId: string, roomId: string): Promise<{ ok: true }> {
      if (!(await leaveRoom(db, roomId, viewerId))) throw new AppError('FORBIDDEN', 'You are not a member of this room.');
      return { ok: true };
    },

    async markRead(viewerId: string, roomId: string, seq: number): Promise<{ roomId: string; seq: number }> {
      const readSeq = await markRead(db, roomId, viewerId, seq);
      if (readSeq === undefined) throw new AppError('FORBIDDEN', 'You are not a member of this room.');
      return { roomId, seq: readSeq };
    },

    /** Ephemeral: relayed to the room's sockets on every instance, never stored. */
    async setTyping(viewerId: string, roomId: string): Promise<{ ok: true }> {
      await requireMember(db, roomId, viewerId);
      await bus.publish({ type: 'typing', roomId, userId: viewerId });
      return { ok: true };
    },
  };
}

export type RoomsService = ReturnType<typeof createRoomsService>;
