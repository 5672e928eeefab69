/** Small builders for the chat unit tests. */
import type { Message, MessagePage, Room, User } from '@youngchat/shared';
import type { StorageLike } from './chat.drafts.ts';
import type { History } from './chat.history.ts';

export const ann: User = { id: 'u-ann', nickname: 'Ann', statusMessage: '', avatarUrl: null };
export const bo: User = { id: 'u-bo', nickname: 'Bo', statusMessage: '', avatarUrl: null };
export const cy: User = { id: 'u-cy', nickname: 'Cy', statusMessage: '', avatarUrl: null };

export function message(roomId: string, seq: number, senderId: string, extra: Partial<Message> = {}): Message {
  return {
    id: `${roomId}-m${seq}`,
    roomId,
    seq,
    senderId,
    body: `message ${seq}`,
    clientId: `client-${roomId}-${seq}`,
    createdAt: new Date(Date.UTC(2030, 0, 1, 12, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    unreadCount: 0,
    replyTo: null,
    attachment: null,
    reactions: [],
    ...extra,
  };
}

export function room(id: string, kind: Room['kind'], members: User[], extra: Partial<Room> = {}): Room {
  return { id, kind, name: kind === 'group' ? `Group ${id}` : (members[1]?.nickname ?? ''), members, lastMessage: null, unreadCount: 0, ...extra };
}

/** A history from pages given newest first, like the API answers them. */
export function history(...pages: MessagePage[]): History {
  return { pages, pageParams: pages.map((_, i) => (i === 0 ? null : pages[i - 1]!.nextCursor)) };
}

export function page(items: Message[], nextCursor: number | null = null): MessagePage {
  return { items: [...items].sort((a, b) => b.seq - a.seq), nextCursor };
}

/** An in-memory Storage, like localStorage. */
export function memoryStorage(): StorageLike & { dump: () => Record<string, string> } {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    dump: () => Object.fromEntries(map),
  };
}
