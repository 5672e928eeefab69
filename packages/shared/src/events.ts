import type { Message, Room } from './schemas/chat.ts';

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
