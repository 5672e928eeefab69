import { z } from 'zod';
import type { User } from './schemas/auth.ts';
import { REACTIONS, type Message, type Room } from './schemas/chat.ts';

/**
 * What `events.live` and `events.poll` deliver. Durable events carry a position (the tracked id / cursor) and
 * are replayed after a reconnect; typing, presence and resync are ephemeral and carry none.
 */
export type DurableEvent =
  | { type: 'message.created' | 'message.updated'; roomId: string; message: Message }
  | { type: 'message.deleted'; roomId: string; messageId: string; seq: number }
  | { type: 'room.created' | 'room.updated'; room: Room }
  | { type: 'room.read'; roomId: string; userId: string; seq: number };

export type EphemeralEvent =
  | { type: 'typing'; roomId: string; userId: string }
  | { type: 'presence'; userId: string; online: boolean }
  /** The client missed more than can be replayed: refetch rooms and open histories, then carry on. */
  | { type: 'resync' };

export type ChatEvent = DurableEvent | EphemeralEvent;

export const DURABLE_EVENT_TYPES = [
  'message.created',
  'message.updated',
  'message.deleted',
  'room.created',
  'room.updated',
  'room.read',
] as const satisfies readonly DurableEvent['type'][];

/**
 * The shape of stored and relayed durable events. Bumped whenever a durable event changes shape in a way a reader
 * of the old shape would get wrong; a stored or relayed event of another version is never shown to clients as it
 * is: they get `resync` in its place and refetch.
 */
export const EVENT_VERSION = 2;

const isoDate = z.iso.datetime({ offset: true });

export const userSchema = z.object({
  id: z.string(),
  email: z.string().optional(),
  nickname: z.string(),
  statusMessage: z.string(),
  avatarUrl: z.string().nullable(),
  deleted: z.literal(true).optional(),
}) satisfies z.ZodType<User>;

export const messageSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  seq: z.number().int(),
  senderId: z.string(),
  body: z.string(),
  clientId: z.string(),
  createdAt: isoDate,
  editedAt: isoDate.nullable(),
  deletedAt: isoDate.nullable(),
  unreadCount: z.number().int(),
  replyTo: z
    .object({ id: z.string(), senderId: z.string(), snippet: z.string(), deleted: z.boolean(), photo: z.boolean() })
    .nullable(),
  attachment: z
    .object({ kind: z.literal('image'), url: z.string(), thumbUrl: z.string(), width: z.number().int(), height: z.number().int() })
    .nullable(),
  reactions: z.array(z.object({ emoji: z.enum(REACTIONS), count: z.number().int(), userIds: z.array(z.string()) })),
}) satisfies z.ZodType<Message>;

export const roomSchema = z.object({
  id: z.string(),
  kind: z.enum(['direct', 'group']),
  name: z.string(),
  members: z.array(userSchema),
  lastMessage: messageSchema.nullable(),
  unreadCount: z.number().int(),
}) satisfies z.ZodType<Room>;

/** Every durable event, as stored in the log and relayed between instances. */
export const durableEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['message.created', 'message.updated']), roomId: z.string(), message: messageSchema }),
  z.object({ type: z.literal('message.deleted'), roomId: z.string(), messageId: z.string(), seq: z.number().int() }),
  z.object({ type: z.enum(['room.created', 'room.updated']), room: roomSchema }),
  z.object({ type: z.literal('room.read'), roomId: z.string(), userId: z.string(), seq: z.number().int() }),
]) satisfies z.ZodType<DurableEvent>;
