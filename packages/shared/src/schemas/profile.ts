import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { nicknameSchema } from './auth.ts';
import { CONTROL_CHARS_MESSAGE, isPlainLine, uuidSchema } from './text.ts';

export const userIdSchema = uuidSchema;

export const profileGetInput = z.object({ userId: userIdSchema });

export const profileUpdateInput = z
  .object({
    nickname: nicknameSchema.optional(),
    statusMessage: z
      .string()
      .trim()
      .max(LIMITS.statusMessage.max)
      .refine(isPlainLine, CONTROL_CHARS_MESSAGE)
      .optional(),
  })
  .refine((v) => v.nickname !== undefined || v.statusMessage !== undefined, 'nothing to update');

export const usersSearchInput = z.object({
  query: z.string().trim().min(LIMITS.searchQuery.min).max(LIMITS.searchQuery.max).refine(isPlainLine, CONTROL_CHARS_MESSAGE),
});

/** Blocking someone: you leave your 1:1 room with them, they cannot bring you back or add you to a group. */
export const usersBlockInput = z.object({ userId: userIdSchema });
export const usersUnblockInput = z.object({ userId: userIdSchema });
