import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import type { User } from './auth.ts';
import { userIdSchema } from './profile.ts';
import { CONTROL_CHARS_MESSAGE, isPlainLine, isPlainText, uuidSchema } from './text.ts';


export const roomIdSchema = uuidSchema;
export const messageIdSchema = uuidSchema;

export const messageBodySchema = z
  .string()
  .max(LIMITS.message.maxChars * 2)
  .transform((v) => v.trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(LIMITS.message.maxChars)
      .refine(isPlainText, CONTROL_CHARS_MESSAGE),
  );

export const roomNameSchema = z
  .string()
  .trim()
  .min(LIMITS.roomName.min)
  .max(LIMITS.roomName.max)
  .refine(isPlainLine, CONTROL_CHARS_MESSAGE);

export const roomsGetInput = z.object({ roomId: roomIdSchema });
export const roomsOpenDirectInput = z.object({ userId: userIdSchema });
export const roomsCreateGroupInput = z.object({
  name: roomNameSchema,
  memberIds: z.array(userIdSchema).min(1).max(LIMITS.groupMembers.max),
});
export const roomsInviteInput = z.object({
  roomId: roomIdSchema,
  userIds: z.array(userIdSchema).min(1).max(LIMITS.groupMembers.max),
});
export const roomsLeaveInput = z.object({ roomId: roomIdSchema });
export const roomsMarkReadInput = z.object({ roomId: roomIdSchema, seq: z.number().int().min(0) });
export const roomsSetTypingInput = z.object({ roomId: roomIdSchema });

export const messagesListInput = z.object({
  roomId: roomIdSchema,
  /** The `nextCursor` of the previous page: history continues below this seq. */
  cursor: z.number().int().min(1).nullish(),
  limit: z.number().int().min(1).max(LIMITS.history.maxPage).default(LIMITS.history.defaultPage),
});
export const messagesSendInput = z.object({
  roomId: roomIdSchema,
  body: messageBodySchema,
  /** Chosen by the client per message: a retry with the same clientId returns the original message. */
  clientId: uuidSchema,
  /** A message of the same room this one answers; it is quoted with it. */
  replyToId: messageIdSchema.nullish(),
});
/** The fields of messages.sendPhoto's FormData besides `file` (strings, as FormData carries them). */
export const messagesSendPhotoFields = z.object({
  roomId: roomIdSchema,
  clientId: uuidSchema,
  caption: z.union([z.literal(''), messageBodySchema]).optional(),
  replyToId: z.union([z.literal('').transform(() => undefined), messageIdSchema]).optional(),
});
/** The reactions (공감) anyone can give a message: one of each per person, toggled. */
export const REACTIONS = ['❤️', '👍', '😂', '😮', '😢', '🙏'] as const;
export type Reaction = (typeof REACTIONS)[number];
export const messagesReactInput = z.object({ messageId: messageIdSchema, emoji: z.enum(REACTIONS) });
export const messagesEditInput = z.object({ messageId: messageIdSchema, body: messageBodySchema });
export const messagesDeleteInput = z.object({ messageId: messageIdSchema });

export interface Message {
  id: string;
  roomId: string;
  seq: number;
  senderId: string;
  /** Empty once deleted. */
  body: string;
  clientId: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** How many members have not read it yet (KakaoTalk's "1"). */
  unreadCount: number;
  /** The message this one answers, quoted as it is now. */
  replyTo: ReplyQuote | null;
  /** A photo (its caption is `body`); gone once the message is deleted. */
  attachment: ImageAttachment | null;
  /** In REACTIONS' order, only those someone gave. */
  reactions: ReactionCount[];
}

export interface ReplyQuote {
  id: string;
  senderId: string;
  /** The start of its words; empty once deleted. */
  snippet: string;
  deleted: boolean;
  /** Whether the quoted message is a photo. */
  photo: boolean;
}

export interface ImageAttachment {
  kind: 'image';
  /** Loadable only by the room's members, with their access token. */
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
}

export interface ReactionCount {
  emoji: Reaction;
  count: number;
  userIds: string[];
}

export interface Room {
  id: string;
  kind: 'direct' | 'group';
  name: string;
  members: User[];
  lastMessage: Message | null;
  /** Messages in this room the viewer has not read. */
  unreadCount: number;
}

export interface MessagePage {
  /** Newest first. */
  items: Message[];
  nextCursor: number | null;
}

/** Resume after this position; omitted = start from now. */
export const eventsLiveInput = z
  .object({ lastEventId: z.string().regex(/^\d{1,15}$/).nullish() })
  .optional()
  .transform((v) => v ?? {});

export const eventsPollInput = z
  .object({
    after: z.string().regex(/^\d{1,15}$/).nullish(),
    waitMs: z.number().int().min(0).max(LIMITS.pollMaxWaitMs).default(LIMITS.pollMaxWaitMs),
  })
  .optional()
  .transform((v) => v ?? { waitMs: LIMITS.pollMaxWaitMs });
