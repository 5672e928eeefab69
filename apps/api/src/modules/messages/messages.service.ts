import { randomUUID } from 'node:crypto';
import { LIMITS, type DurableEvent, type Message, type MessagePage } from '@youngchat/shared';
import type { Logger } from 'pino';
import { normalizeImage, thumbnailOf } from '../../images/images.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { Db, StoredPhoto } from '../../ports/database.ts';
import type { Stream } from '../../realtime/stream.ts';
import { AppError } from '../../app-error.ts';
import { commitWithEvents, type Change } from '../events/events.api.ts';
import { activeMembers, notAMember, requireMember } from '../rooms/rooms.api.ts';
import { toMessage, unreadBy } from './messages.mapper.ts';
import type { SendBatcher } from './messages.batcher.ts';
import type { PageReader } from './messages.pages.ts';
import type { Roster, Rosters } from './messages.rosters.ts';
import {
  findBySenderClientId,
  findMessage,
  findQuotable,
  softDelete,
  toggleReaction,
  updateBody,
  type MessageRow,
  type NewMessage,
} from './messages.repository.ts';

/** photos/<roomId>/<uuid>.<ext>, as sendPhoto names them. */
const PHOTO_KEY = /^photos\/([0-9a-f-]{36})\/[0-9a-f-]{36}(\.thumb)?\.(png|jpg|webp)$/;

export interface MessagesServiceDeps {
  db: Db;
  stream: Stream;
  /** Where photos and their thumbnails are kept. */
  blobStore: BlobStore;
  logger: Logger;
  /** Each room's members and unread counter, for history pages. */
  rosters: Rosters;
  /** Stores sends in batches, within each sender's rate limit. */
  batcher: SendBatcher;
  /** Reads history pages in batches. */
  pages: PageReader;
}

export function createMessagesService({ db, stream, blobStore, logger, rosters, batcher, pages }: MessagesServiceDeps) {
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

  /** The messages of a page as its reader may see them (`visible`: one more than `limit` when there are more). */
  function pageOf(visible: MessageRow[], roster: Roster, limit: number): MessagePage {
    const items = visible.slice(0, limit).map((row) => toMessage(row, roster.unread(row)));
    return { items, nextCursor: visible.length > limit ? items.at(-1)!.seq : null };
  }
  const sharedPages = new WeakMap<MessageRow[], { roster: Roster; page: MessagePage }>();

  /** The sender's own, not deleted, message in a room they are still in. */
  async function ownMessage(viewerId: string, messageId: string): Promise<MessageRow> {
    const row = await findMessage(db, messageId);
    if (!row || row.deleted_at) throw new AppError('NOT_FOUND', 'This message is gone.');
    await requireMember(db, row.room_id, viewerId);
    if (row.sender_id !== viewerId) throw new AppError('FORBIDDEN', 'Only the sender can change a message.');
    return row;
  }

  /** The message a new one answers, if it may: in the room, not deleted, said since the sender arrived. */
  async function answered(viewerId: string, roomId: string, replyToId: string | null | undefined): Promise<MessageRow | null> {
    if (!replyToId) return null;
    const row = await findQuotable(db, replyToId, roomId, viewerId);
    if (!row) throw new AppError('NOT_FOUND', 'The message you are answering is gone.');
    return row;
  }

  /** Stores one send through the batch writer; a retry or a refusal is answered as messages.send answers it. */
  async function store(viewerId: string, send: Omit<NewMessage, 'id' | 'senderId' | 'createdAt'>): Promise<{ message: Message; stored: boolean }> {
    const outcome = await batcher.send({ ...send, id: randomUUID(), senderId: viewerId, createdAt: new Date() });
    if (outcome.stored) return { message: outcome.message, stored: true };
    if (outcome.retryAfterMs !== undefined) {
      throw new AppError('RATE_LIMITED', 'You are sending very fast. Please wait a moment.', { retryAfterMs: outcome.retryAfterMs });
    }
    // Not stored: a retry (answered with the original), or someone not in the room.
    const original = await findBySenderClientId(db, viewerId, send.clientId);
    if (!original) throw notAMember();
    return { message: await present(sameSend(original, send.roomId)), stored: false };
  }

  function removePhoto(photo: StoredPhoto): void {
    for (const key of [photo.key, photo.thumbKey]) {
      blobStore.delete(key).catch((error: unknown) => logger.warn({ err: error, key }, 'photo delete failed'));
    }
  }

  return {
    async list(viewerId: string, input: { roomId: string; cursor?: number | null; limit: number }): Promise<MessagePage> {
      const roster = await rosters.rosterFor(input.roomId);
      const reader = roster.member(viewerId);
      if (!reader) throw notAMember();
      const rows = await pages.page({ roomId: input.roomId, before: input.cursor ?? null }, input.limit + 1);
      // A reader's history starts where they arrived (0009): nothing said before, and no page beyond.
      const seesAll = rows.length === 0 || rows.at(-1)!.seq > reader.joined_seq;
      if (!seesAll) return pageOf(rows.filter((row) => row.seq > reader.joined_seq), roster, input.limit);
      // Everyone who sees the whole page sees the same page: the readers of one page in one batch share its rows,
      // and so its messages (and its JSON, history-fast-path.ts).
      const shared = sharedPages.get(rows);
      if (shared?.roster === roster) return shared.page;
      const page = pageOf(rows, roster, input.limit);
      sharedPages.set(rows, { roster, page });
      return page;
    },

    /** Idempotent per (sender, clientId): a retry returns the original message, never a second row. */
    async send(viewerId: string, input: { roomId: string; body: string; clientId: string; replyToId?: string | null }): Promise<Message> {
      const replyTo = await answered(viewerId, input.roomId, input.replyToId);
      const { message } = await store(viewerId, { roomId: input.roomId, body: input.body, clientId: input.clientId, replyTo, photo: null });
      return message;
    },

    /**
     * A photo message, idempotent like send: a retry is answered with the original before its file is even read. The
     * picture is re-encoded (nothing of the original file is kept) and stored with a thumbnail under keys of our own.
     */
    async sendPhoto(
      viewerId: string,
      input: { roomId: string; clientId: string; caption?: string; replyToId?: string; file: Blob },
    ): Promise<Message> {
      const earlier = await findBySenderClientId(db, viewerId, input.clientId);
      if (earlier) return present(sameSend(earlier, input.roomId));
      await requireMember(db, input.roomId, viewerId);
      if (input.file.size > LIMITS.photo.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', 'This picture is too large.');
      const replyTo = await answered(viewerId, input.roomId, input.replyToId);
      const image = await normalizeImage(new Uint8Array(await input.file.arrayBuffer()), LIMITS.photo);
      const thumb = await thumbnailOf(image, LIMITS.photo.thumbSidePx);
      const name = `photos/${input.roomId}/${randomUUID()}`;
      const photo: StoredPhoto = { key: `${name}.${image.ext}`, thumbKey: `${name}.thumb.${thumb.ext}`, width: image.width, height: image.height };
      await Promise.all([blobStore.put(photo.key, image.bytes, image.contentType), blobStore.put(photo.thumbKey, thumb.bytes, thumb.contentType)]);
      try {
        const { message, stored } = await store(viewerId, { roomId: input.roomId, body: input.caption ?? '', clientId: input.clientId, replyTo, photo });
        if (!stored) removePhoto(photo);
        return message;
      } catch (error) {
        removePhoto(photo);
        throw error;
      }
    },

    /** Whether this person may load this object of a room's photos: they are in the room now. */
    async mayLoadPhoto(viewerId: string, key: string): Promise<boolean> {
      const roomId = PHOTO_KEY.exec(key)?.[1];
      if (!roomId) return false;
      try {
        await requireMember(db, roomId, viewerId);
        return true;
      } catch (error) {
        if (error instanceof AppError) return false;
        throw error; // the database is away: the caller answers 503, not "no such photo"
      }
    },

    /** Gives one of REACTIONS, or takes it back; every member hears the message changed. */
    async react(viewerId: string, input: { messageId: string; emoji: string }): Promise<Message> {
      const row = await findMessage(db, input.messageId);
      if (!row || row.deleted_at) throw new AppError('NOT_FOUND', 'This message is gone.');
      if (!(await findQuotable(db, row.id, row.room_id, viewerId))) throw notAMember();
      return commitAndRelay(async (tx) => {
        const changed = await toggleReaction(tx, input.messageId, viewerId, input.emoji);
        if (!changed) throw new AppError('NOT_FOUND', 'This message is gone.');
        return forRoom(tx, changed, (message) => ({ type: 'message.updated', roomId: changed.room_id, message }));
      });
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
      const { photo } = await ownMessage(viewerId, input.messageId);
      const deleted = await commitAndRelay(async (tx) => {
        const row = await softDelete(tx, input.messageId);
        if (!row) throw new AppError('NOT_FOUND', 'This message is gone.');
        return forRoom(tx, row, () => ({ type: 'message.deleted', roomId: row.room_id, messageId: row.id, seq: row.seq }));
      });
      // Only once no row points at them may the objects go.
      if (photo) removePhoto(photo);
      return deleted;
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
