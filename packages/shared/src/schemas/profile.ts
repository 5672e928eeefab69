import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { nicknameSchema } from './auth.ts';

export const userIdSchema = z.string().uuid();

export const profileGetInput = z.object({ userId: userIdSchema });

export const profileUpdateInput = z
  .object({
    nickname: nicknameSchema.optional(),
    statusMessage: z
      .string()
      .trim()
      .max(LIMITS.statusMessage.max)
      .refine((v) => !/[\p{Cc}\p{Cf}]/u.test(v), 'must not contain control characters')
      .optional(),
  })
  .refine((v) => v.nickname !== undefined || v.statusMessage !== undefined, 'nothing to update');

export const usersSearchInput = z.object({
  query: z.string().trim().min(LIMITS.searchQuery.min).max(LIMITS.searchQuery.max),
});

/** Blocking someone: you leave your 1:1 room with them, they cannot bring you back or add you to a group. */
export const usersBlockInput = z.object({ userId: userIdSchema });
export const usersUnblockInput = z.object({ userId: userIdSchema });
