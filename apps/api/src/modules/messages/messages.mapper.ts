import type { Message } from '@youngchat/shared';
import type { MemberRow } from '../rooms/rooms.api.ts';
import type { MessageRow } from './messages.repository.ts';

/** KakaoTalk's number on a message: members, other than its sender, who were there for it and have not read it. */
export function unreadBy(message: Pick<MessageRow, 'seq' | 'sender_id'>, members: readonly MemberRow[]): number {
  return members.filter((m) => m.user_id !== message.sender_id && m.joined_seq < message.seq && m.last_read_seq < message.seq)
    .length;
}

/** The message as every member sees it; `unreadCount` from unreadBy, or counted by the database. */
export function toMessage(row: MessageRow, unreadCount: number): Message {
  return {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    senderId: row.sender_id,
    body: row.deleted_at ? '' : row.body,
    clientId: row.client_id,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    unreadCount: row.deleted_at ? 0 : unreadCount,
  };
}
