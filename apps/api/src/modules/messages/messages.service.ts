import { randomUUID } from 'node:crypto';
import type { Message, MessagePage } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import { AppError } from '../../trpc/errors.ts';
import { toMessage } from '../rooms/chat.mapper.ts';
import { requireMember } from '../rooms/rooms.policy.ts';
import { activeMembers, lockRoom } from '../rooms/rooms.repository.ts';
import {
  findBySenderClientId,
  findMessage,
  insertNextMessage,
  listPage,
  softDelete,
  updateBody,
  type MessageRow,
} from './messages.repository.ts';

const UNIQUE_VIOLATION = '23505';

export function createMessagesService({ db }: { db: Db }) {
  async function present(row: MessageRow): Promise<Message> {
    return toMessage(row, await activeMembers(db, [row.room_id]));
  }

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
      const membership = await requireMember(db, input.roomId, viewerId);
      const rows = await listPage(db, input.roomId, {
        before: input.cursor ?? null,
        after: membership.joined_seq,
        limit: input.limit + 1,
      });
      const members = await activeMembers(db, [input.roomId]);
      const items = rows.slice(0, input.limit).map((row) => toMessage(row, members));
      return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.seq : null };
    },

    /** Idempotent per (sender, clientId): a retry returns the original message, never a second row. */
    async send(viewerId: string, input: { roomId: string; body: string; clientId: string }): Promise<Message> {
      let row: MessageRow;
      try {
        row = await db.transaction().execute(async (tx) => {
          await requireMember(tx, input.roomId, viewerId);
          // The lock orders sends to this room; a retry racing its original waits here, then finds it.
          await lockRoom(tx, input.roomId);
          const existing = await findBySenderClientId(tx, viewerId, input.clientId);
          if (existing) return sameSend(existing, input.roomId);
          return insertNextMessage(tx, { id: randomUUID(), roomId: input.roomId, senderId: viewerId, body: input.body, clientId: input.clientId });
        });
      } catch (error) {
        // The same clientId sent to two rooms at once: the loser finds the winner's row.
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        const existing = await findBySenderClientId(db, viewerId, input.clientId);
        if (!existing) throw error;
        row = sameSend(existing, input.roomId);
      }
      return present(row);
    },

    async edit(viewerId: string, input: { messageId: string; body: string }): Promise<Message> {
      await ownMessage(viewerId, input.messageId);
      const row = await updateBody(db, input.messageId, input.body);
      if (!row) throw new AppError('NOT_FOUND', 'This message is gone.');
      return present(row);
    },

    async delete(viewerId: string, input: { messageId: string }): Promise<Message> {
      await ownMessage(viewerId, input.messageId);
      const row = await softDelete(db, input.messageId);
      if (!row) throw new AppError('NOT_FOUND', 'This message is gone.');
      return present(row);
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
