import { randomUUID } from 'node:crypto';
import { LIMITS, type User } from '@youngchat/shared';
import type { Logger } from '../../observability/logger.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { Db } from '../../ports/database.ts';
import { AppError } from '../../app-error.ts';
import { findUserById, replaceAvatarKey, toUser, updateProfile } from '../users/users.api.ts';
import { normalizeImage } from '../../images/images.ts';

export interface ProfileServiceDeps {
  db: Db;
  blobStore: BlobStore;
  logger: Logger;
}

const notFound = () => new AppError('NOT_FOUND', 'There is no such user.');

export function createProfileService({ db, blobStore, logger }: ProfileServiceDeps) {
  /** An orphaned object costs a little storage; failing a request whose change is already committed would lie. */
  async function deleteQuietly(key: string): Promise<void> {
    await blobStore.delete(key).catch((error: unknown) => logger.warn({ err: error, key }, 'avatar delete failed'));
  }

  return {
    async get(viewerId: string, userId: string): Promise<User> {
      const row = await findUserById(db, userId);
      if (!row) throw notFound();
      return toUser(row, viewerId);
    },

    async update(userId: string, input: { nickname?: string; statusMessage?: string }): Promise<User> {
      const row = await updateProfile(db, userId, {
        ...(input.nickname !== undefined ? { nickname: input.nickname } : {}),
        ...(input.statusMessage !== undefined ? { status_message: input.statusMessage } : {}),
      });
      if (!row) throw notFound();
      return toUser(row, userId);
    },

    async setAvatar(userId: string, file: Blob): Promise<User> {
      if (file.size > LIMITS.avatar.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', 'This picture is too large.');
      const image = await normalizeImage(new Uint8Array(await file.arrayBuffer()), {
        maxPixels: LIMITS.avatar.maxPixels,
        maxSidePx: LIMITS.avatar.sizePx,
      });
      // A fresh key per upload: never the client's file name, and cached URLs never show a stale picture.
      const key = `avatars/${userId}/${randomUUID()}.${image.ext}`;
      await blobStore.put(key, image.bytes, image.contentType);
      let replaced;
      try {
        replaced = await replaceAvatarKey(db, userId, key);
      } catch (error) {
        await deleteQuietly(key);
        throw error;
      }
      if (!replaced) {
        await deleteQuietly(key);
        throw notFound();
      }
      // Only now that the row points at the new object may the old one go; concurrent uploads are serialised
      // by the row lock, so each sees the other's key as "previous" and none is left behind.
      if (replaced.previousKey) await deleteQuietly(replaced.previousKey);
      return toUser(replaced.user, userId);
    },

    async removeAvatar(userId: string): Promise<User> {
      const replaced = await replaceAvatarKey(db, userId, null);
      if (!replaced) throw notFound();
      if (replaced.previousKey) await deleteQuietly(replaced.previousKey);
      return toUser(replaced.user, userId);
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
