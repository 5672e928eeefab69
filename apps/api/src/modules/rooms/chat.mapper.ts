import type { Message, Room, User } from '@youngchat/shared';
import type { MessageRow } from '../messages/messages.repository.ts';
import type { MemberRow, RoomRow } from './rooms.repository.ts';

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

/** A room as one viewer sees it: a 1:1 room is named after the other person. */
export function toRoom(
  row: RoomRow,
  viewerId: string,
  parts: { members: User[]; memberRows: readonly MemberRow[]; lastMessage: MessageRow | undefined; unreadCount: number },
): Room {
  const others = parts.members.filter((m) => m.id !== viewerId);
  // A message from before the viewer (re)joined is not theirs to read, not even as a preview.
  const joinedSeq = parts.memberRows.find((m) => m.user_id === viewerId)?.joined_seq ?? 0;
  const lastMessage = parts.lastMessage && parts.lastMessage.seq > joinedSeq ? parts.lastMessage : undefined;
  return {
    id: row.id,
    kind: row.kind,
    name: row.kind === 'direct' ? (others[0]?.nickname ?? '') : row.name,
    members: parts.members,
    lastMessage: lastMessage ? toMessage(lastMessage, unreadBy(lastMessage, parts.memberRows)) : null,
    unreadCount: parts.unreadCount,
  };
}
