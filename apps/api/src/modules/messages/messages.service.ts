import { randomUUID } from 'node:crypto';
import type { DurableEvent, Message, MessagePage } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import type { Stream } from '../../realtime/stream.ts';
import { AppError } from '../../app-error.ts';
import { commitWithEvents, type Change } from '../events/events.api.ts';
import { activeMembers, notAMember, requireMember } from '../rooms/rooms.api.ts';
import { toMessage, unreadBy } from './messages.mapper.ts';
import type { SendBatcher } from './messages.batcher.ts';
import type { Rosters } from './messages.rosters.ts';
import { findBySenderClientId, findMessage, pageFor, softDelete, updateBody, type MessageRow } from './messages.repository.ts';

export interface MessagesServiceDeps {
  db: Db;
  stream: Stream;
  /** Each room's unread counter, for history pages. */
  rosters: Rosters;
  /** Stores sends in batches, within each sender's rate limit. */
  batcher: SendBatcher;
}

export function createMessagesService({ db, stream, rosters, batcher }: MessagesServiceDeps) {
  async function present(row: MessageRow): Promise<Message> {
    return toMessage(row, unreadBy(row, await activeMembers(db, [row.room_id])));
  }

  /** One entry for the room: whoever is a member at its position hears it, offline members find it later. */
  async function forRoom(tx: Db, row: MessageRow, toEvent: (message: Message) => DurableEvent): Promise<Change<Message>> {
    const message = toMessage(row, unreadBy(row, await activeMembers(tx, [row.room_id])));
    return { result: message, events: [{ roomId: row.room_id, userId: null, membership: null, event: toEvent(message) }] };
  }

  const commitAndRelay = (change: (tx: Db) => Promise<Change<Message>>) => commitWithEvents(db, stream, change);

  /** A retry of an earlier send: the original message, if it went to the same room. */
  function sameSend(existing: MessageRow, roomId: string): MessageRow {
    if (existing.room_id !== roomId) throw new AppError('CONFLICT', 'This clientId was already used in another room.');
    return existing;
  }

  /** The sender's own, not deleted, message in a room they are still in. */
  async function ownMessage(viewerId: string, messageId: string): Promise<MessageRow> {
    const row = await findMessage(db, messageId);
    if (!row || row.deleted_at) throw new AppError('NOT_FOUND', 'This message is gone.');
    await requireMember(db, row.room_id, viewerId);
    if (row.sender_id !== viewerId) throw new AppError('FORBIDDEN', 'Only the sender can change a message.');
    return row;
  }

  return {
    async list(viewerId: string, input: { roomId: string; cursor?: number | null; limit: number }): Promise<MessagePage> {
      const rows = await pageFor(db, input.roomId, viewerId, { before: input.cursor ?? null, limit: input.limit + 1 });
      if (!rows) throw notAMember();
      // Asked only for members, so nobody fills the cache with other people's rooms.
      const unread = await rosters.counterFor(input.roomId);
      const items = rows.slice(0, input.limit).map((row) => toMessage(row, unread(row)));
      return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.seq : null };
    },

    /** Idempotent per (sender, clientId): a retry returns the original message, never a second row. */
    async send(viewerId: string, input: { roomId: string; body: string; clientId: string }): Promise<Message> {
      const outcome = await batcher.send({
        id: randomUUID(),
        roomId: input.roomId,
        senderId: viewerId,
        body: input.body,
        clientId: input.clientId,
        createdAt: new Date(),
      });
      if (outcome.stored) return outcome.message;
      if (outcome.retryAfterMs !== undefined) {
        throw new AppError('RATE_LIMITED', 'You are sending very fast. Please wait a moment.', { retryAfterMs: outcome.retryAfterMs });
      }
      // Not stored: a retry (answered with the original), or someone not in the room.
      const original = await findBySenderClientId(db, viewerId, input.clientId);
      if (!original) throw notAMember();
      return present(sameSend(original, input.roomId));
    },

    async edit(viewerId: string, input: { messageId: string; body: string }): Promise<Message> {
      await ownMessage(viewerId, input.messageId);
      return commitAndRelay(async (tx) => {
        const row = await updateBody(tx, input.messageId, input.body);
        if (!row) throw new AppError('NOT_FOUND', 'This message is gone.');
        return forRoom(tx, row, (message) => ({ type: 'message.updated', roomId: row.room_id, message }));
      });
    },

    async delete(viewerId: string, input: { messageId: string }): Promise<Message> {
      await ownMessage(viewerId, input.messageId);
      return commitAndRelay(async (tx) => {
        const row = await softDelete(tx, input.messageId);
        if (!row) throw new AppError('NOT_FOUND', 'This message is gone.');
        return forRoom(tx, row, () => ({ type: 'message.deleted', roomId: row.room_id, messageId: row.id, seq: row.seq }));
      });
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
