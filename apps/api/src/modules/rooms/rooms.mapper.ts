import type { Room, User } from '@youngchat/shared';
import { toMessage, unreadBy, type MessageRow } from '../messages/messages.api.ts';
import type { MemberRow, RoomRow } from './rooms.repository.ts';

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
