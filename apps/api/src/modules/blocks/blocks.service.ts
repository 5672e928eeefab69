import type { User } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import { AppError } from '../../app-error.ts';
import type { RoomsService } from '../rooms/rooms.api.ts';
import { findUserById, findUsersByIds, toUser } from '../users/users.api.ts';
import { blockedBy, deleteBlock, insertBlock } from './blocks.repository.ts';

/**
 * Blocking someone takes you out of your 1:1 room with them, and keeps them from bringing you back or adding
 * you to a group, so nothing more of theirs reaches you there. Groups you already share are left to you.
 */
export function createBlocksService({ db, rooms }: { db: Db; rooms: RoomsService }) {
  return {
    async block(viewerId: string, userId: string): Promise<{ ok: true }> {
      if (userId === viewerId) throw new AppError('BAD_INPUT', 'You cannot block yourself.');
      if (!(await findUserById(db, userId))) throw new AppError('NOT_FOUND', 'This person does not exist.');
      // Recorded first, so an openDirect racing this one cannot bring the blocker back afterwards.
      await insertBlock(db, viewerId, userId);
      await rooms.leaveDirectWith(viewerId, userId);
      return { ok: true };
    },

    /** Lifts the block; the 1:1 room comes back when the blocker opens it again. */
    async unblock(viewerId: string, userId: string): Promise<{ ok: true }> {
      await deleteBlock(db, viewerId, userId);
      return { ok: true };
    },

    async blocked(viewerId: string): Promise<User[]> {
      const ids = await blockedBy(db, viewerId);
      const users = new Map((await findUsersByIds(db, ids)).map((u) => [u.id, u]));
      return ids.flatMap((id) => {
        const user = users.get(id);
        return user ? [toUser(user, viewerId)] : [];
      });
    },
  };
}

export type BlocksService = ReturnType<typeof createBlocksService>;
