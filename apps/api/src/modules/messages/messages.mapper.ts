import { LIMITS, REACTIONS, type ImageAttachment, type Message, type ReactionCount, type ReplyQuote } from '@youngchat/shared';
import type { StoredPhoto } from '../../ports/database.ts';
import type { MemberRow } from '../rooms/rooms.api.ts';
import type { MessageRow } from './messages.repository.ts';

/** KakaoTalk's number on a message: members, other than its sender, who were there for it and have not read it. */
export function unreadBy(message: Pick<MessageRow, 'seq' | 'sender_id'>, members: readonly MemberRow[]): number {
  return members.filter((m) => m.user_id !== message.sender_id && m.joined_seq < message.seq && m.last_read_seq < message.seq)
    .length;
}

/**
 * unreadBy for many messages of one room: a member has not read message `seq` exactly when both their arrival and
 * their read position are below it, so with those maxima sorted, each count is a binary search (a page in a room of
 * 1000 members costs 30 searches, not 30,000 comparisons). The sender is taken off their own message.
 */
export function unreadCounter(members: readonly MemberRow[]): (message: Pick<MessageRow, 'seq' | 'sender_id'>) => number {
  const reachedBy = new Map(members.map((m) => [m.user_id, Math.max(m.joined_seq, m.last_read_seq)]));
  const sorted = Float64Array.from(reachedBy.values()).sort();
  const below = (seq: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (message) => below(message.seq) - ((reachedBy.get(message.sender_id) ?? Infinity) < message.seq ? 1 : 0);
}

/** The message as every member sees it; `unreadCount` from unreadBy, or counted by the database. */
export function toMessage(row: MessageRow, unreadCount: number): Message {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    senderId: row.sender_id,
    body: deleted ? '' : row.body,
    clientId: row.client_id,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    unreadCount: deleted ? 0 : unreadCount,
    replyTo: row.reply_to_id === null ? null : quote(row),
    attachment: row.photo && !deleted ? photoAttachment(row.photo) : null,
    reactions: deleted ? [] : reactionCounts(row.reactions),
  };
}

/** What a reply shows of the message it answers, as that message is now. */
function quote(row: MessageRow): ReplyQuote {
  // reply_deleted is null when the answered row is gone altogether: shown as deleted too.
  const deleted = row.reply_deleted !== false;
  return {
    id: row.reply_to_id!,
    senderId: row.reply_sender_id ?? '',
    snippet: deleted ? '' : (row.reply_body ?? ''),
    deleted,
    photo: !deleted && row.reply_photo === true,
  };
}

/** The columns a new reply carries of the message it answers, read when the reply was checked. */
export function quotedColumns(answered: MessageRow | null): Pick<MessageRow, 'reply_to_id' | 'reply_sender_id' | 'reply_body' | 'reply_deleted' | 'reply_photo'> {
  return {
    reply_to_id: answered?.id ?? null,
    reply_sender_id: answered?.sender_id ?? null,
    reply_body: answered ? answered.body.slice(0, LIMITS.replySnippetChars) : null,
    reply_deleted: answered ? answered.deleted_at !== null : null,
    reply_photo: answered ? answered.photo !== null : null,
  };
}

/** Photos are served by /files only to the members of their room (server.ts). */
function photoAttachment(photo: StoredPhoto): ImageAttachment {
  return { kind: 'image', url: `/files/${photo.key}`, thumbUrl: `/files/${photo.thumbKey}`, width: photo.width, height: photo.height };
}

function reactionCounts(given: Record<string, string[]>): ReactionCount[] {
  return REACTIONS.filter((emoji) => (given[emoji]?.length ?? 0) > 0).map((emoji) => ({
    emoji,
    count: given[emoji]!.length,
    userIds: given[emoji]!,
  }));
}
