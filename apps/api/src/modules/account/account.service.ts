import type { AccountExport } from '@youngchat/shared';
import type { Logger } from 'pino';
import { AppError } from '../../app-error.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { Db } from '../../ports/database.ts';
import type { AccessClaims, AuthService } from '../auth/auth.api.ts';
import { messagesBySender } from '../messages/messages.api.ts';
import type { RoomsService } from '../rooms/rooms.api.ts';
import { findUserById, freeDeletedEmails, markDeleted, toUser } from '../users/users.api.ts';

export interface AccountServiceDeps {
  db: Db;
  auth: AuthService;
  rooms: RoomsService;
  blobStore: BlobStore;
  logger: Logger;
  /** How long a deleted account's email stays taken (nobody can sign up as them meanwhile). */
  emailGraceMs: number;
}

/** Leaving for good, and taking one's data along. */
export function createAccountService({ db, auth, rooms, blobStore, logger, emailGraceMs }: AccountServiceDeps) {
  return {
    /**
     * Re-authenticated by password. Their messages stay, from a deleted user; their profile and picture go, they leave
     * every room, and every sign-in ends. The email is freed after the grace period.
     */
    async delete(claims: AccessClaims, password: string): Promise<void> {
      await auth.checkPassword(claims.userId, password);
      const deleted = await markDeleted(db, claims.userId);
      if (!deleted) throw new AppError('UNAUTHORIZED', 'Please sign in again.');
      await rooms.leaveAll(claims.userId);
      await auth.logoutEverywhere(claims);
      if (deleted.avatarKey) {
        // The account is gone either way; an orphaned picture costs only storage, and is logged.
        await blobStore.delete(deleted.avatarKey).catch((error: unknown) => logger.warn({ err: error, key: deleted.avatarKey }, 'avatar of a deleted account not removed'));
      }
      logger.info({ userId: claims.userId }, 'account deleted');
    },

    /** The person's profile, rooms and own messages, as JSON. */
    async export(claims: AccessClaims): Promise<AccountExport> {
      const row = await findUserById(db, claims.userId);
      if (!row) throw new AppError('UNAUTHORIZED', 'Please sign in again.');
      const [roomList, messages] = await Promise.all([rooms.list(claims.userId), messagesBySender(db, claims.userId)]);
      return {
        exportedAt: new Date().toISOString(),
        profile: { ...toUser(row, claims.userId), createdAt: row.created_at.toISOString() },
        rooms: roomList.map((room) => ({ id: room.id, kind: room.kind, name: room.name, memberNicknames: room.members.map((m) => m.nickname) })),
        messages: messages.map((m) => ({
          id: m.id,
          roomId: m.room_id,
          seq: m.seq,
          body: m.deleted_at ? '' : m.body,
          createdAt: m.created_at.toISOString(),
          editedAt: m.edited_at?.toISOString() ?? null,
          deletedAt: m.deleted_at?.toISOString() ?? null,
        })),
      };
    },

    /** Frees the emails of accounts deleted longer ago than the grace period; run now and then. */
    async releaseEmails(): Promise<number> {
      return freeDeletedEmails(db, new Date(Date.now() - emailGraceMs));
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
