import type { ChatEvent, Message, Room } from '@youngchat/shared';
import { fresher, messageById, replaceMessage, requote, upsertMessage, type History } from './chat.history.ts';

/**
 * The live events applied to what the screens show: "old snapshot + events = fresh snapshot". Pure functions over
 * plain data, so the rules are tested without a browser; chat.cache.ts runs them against the TanStack Query cache.
 */
export interface ChatSnapshot {
  /** rooms.list, newest activity first; undefined while not loaded. */
  rooms: Room[] | undefined;
  /** Loaded histories (messages.list infinite queries), by room id. */
  histories: Record<string, History | undefined>;
}

export interface EventContext {
  /** Who is signed in. */
  me: string;
  /** The room on screen while the person can see it: what arrives there is read, not unread. */
  visibleRoomId: string | null;
  /** ISO time, for a deletion whose event carries none. */
  now: string;
}

/** What a snapshot cannot work out on its own: ask the server again. */
export interface Effects {
  refetchRooms: boolean;
  /** Room ids whose history to reload, or every loaded one. */
  refetchHistories: Set<string> | 'all';
  /** New messages from other people (for a browser notification). */
  arrived: Message[];
}

export function noEffects(): Effects {
  return { refetchRooms: false, refetchHistories: new Set(), arrived: [] };
}

function deleted(message: Message, now: string): Message {
  return { ...message, body: '', deletedAt: message.deletedAt ?? now, unreadCount: 0, attachment: null, reactions: [] };
}

/**
 * In a 1:1 room a read position says everything: the other person's messages up to it are read by the only one
 * who could read them. In a group we do not know where that member stood before, so counts are reloaded.
 */
function readsInDirect(message: Message, reader: string, seq: number): Message {
  return message.senderId !== reader && message.seq <= seq && message.unreadCount > 0 ? { ...message, unreadCount: 0 } : message;
}

function isMember(room: Room, userId: string): boolean {
  return room.members.some((m) => m.id === userId);
}

/**
 * One room after an event about it. `null` when the viewer is no longer a member; `refetch` when the room's
 * numbers cannot be worked out from the event.
 */
export function applyToRoom(room: Room, event: ChatEvent, ctx: EventContext): { room: Room | null; refetch: boolean } {
  switch (event.type) {
    case 'message.created': {
      const message = event.message;
      const last = room.lastMessage;
      if (last && message.seq < last.seq) return { room, refetch: false };
      if (last && message.seq === last.seq) return { room: { ...room, lastMessage: fresher(last, message) }, refetch: false };
      const unread = message.senderId !== ctx.me && ctx.visibleRoomId !== room.id;
      return { room: { ...room, lastMessage: message, unreadCount: room.unreadCount + (unread ? 1 : 0) }, refetch: false };
    }
    case 'message.updated':
      return {
        room: room.lastMessage?.id === event.message.id ? { ...room, lastMessage: fresher(room.lastMessage, event.message) } : room,
        refetch: false,
      };
    case 'message.deleted':
      return {
        room: room.lastMessage?.id === event.messageId ? { ...room, lastMessage: deleted(room.lastMessage, ctx.now) } : room,
        refetch: false,
      };
    case 'room.created':
    case 'room.updated':
      return { room: isMember(event.room, ctx.me) ? event.room : null, refetch: false };
    case 'room.read': {
      let next = room;
      if (event.userId === ctx.me) {
        const last = room.lastMessage;
        // Read up to the newest message: nothing is unread. Read part-way: the server follows my room.read with a
        // room.updated that carries the exact count, so there is nothing to reload.
        if (!last || event.seq >= last.seq) next = { ...next, unreadCount: 0 };
      }
      // The list does not show a group's per-message counts, so they are not worth a reload here.
      if (next.lastMessage && room.kind === 'direct') {
        const lastMessage = readsInDirect(next.lastMessage, event.userId, event.seq);
        if (lastMessage !== next.lastMessage) next = { ...next, lastMessage };
      }
      return { room: next, refetch: false };
    }
    case 'typing':
    case 'presence':
    case 'resync':
      return { room, refetch: false };
  }
}

export function eventRoomId(event: ChatEvent): string | null {
  switch (event.type) {
    case 'room.created':
    case 'room.updated':
      return event.room.id;
    case 'presence':
    case 'resync':
      return null;
    default:
      return event.roomId;
  }
}

/** The room list after an event: new activity first, rooms I left gone. */
export function reduceRooms(rooms: Room[], event: ChatEvent, ctx: EventContext): { rooms: Room[]; refetch: boolean } {
  const roomId = eventRoomId(event);
  if (!roomId) return { rooms, refetch: false };
  const index = rooms.findIndex((r) => r.id === roomId);
  if (index < 0) {
    if (event.type === 'room.created' || event.type === 'room.updated') {
      return isMember(event.room, ctx.me) ? { rooms: [event.room, ...rooms], refetch: false } : { rooms, refetch: false };
    }
    // A message in a room the list does not know yet (its room.created is still on the way, or was missed).
    return { rooms, refetch: event.type === 'message.created' };
  }
  const { room, refetch } = applyToRoom(rooms[index]!, event, ctx);
  if (room === rooms[index]) return { rooms, refetch };
  const rest = rooms.filter((_, i) => i !== index);
  if (!room) return { rooms: rest, refetch };
  const previous = rooms[index]!.lastMessage;
  if (event.type === 'message.created' && (!previous || event.message.seq > previous.seq)) return { rooms: [room, ...rest], refetch };
  const next = rooms.slice();
  next[index] = room;
  return { rooms: next, refetch };
}

/** One room's loaded history after an event about that room. */
export function reduceHistory(
  history: History,
  event: ChatEvent,
  room: Pick<Room, 'kind'> | undefined,
  ctx: EventContext,
): { history: History; refetch: boolean } {
  switch (event.type) {
    case 'message.created':
    case 'message.updated': {
      const next = upsertMessage(history, event.message);
      // Quoted as the history now holds it: a late copy of an older version does not bring old words back.
      return { history: requote(next, messageById(next, event.message.id) ?? event.message), refetch: false };
    }
    case 'message.deleted': {
      const gone = replaceMessage(history, event.messageId, (m) => deleted(m, ctx.now));
      return { history: requote(gone, { id: event.messageId, body: '', deletedAt: ctx.now }), refetch: false };
    }
    case 'room.read': {
      const affected = history.pages.some((p) =>
        p.items.some((m) => m.senderId !== event.userId && m.seq <= event.seq && m.unreadCount > 0),
      );
      if (!affected) return { history, refetch: false };
      if (room?.kind !== 'direct') return { history, refetch: true };
      let changed = false;
      const pages = history.pages.map((page) => {
        const items = page.items.map((m) => readsInDirect(m, event.userId, event.seq));
        if (items.some((m, i) => m !== page.items[i])) {
          changed = true;
          return { ...page, items };
        }
        return page;
      });
      return { history: changed ? { ...history, pages } : history, refetch: false };
    }
    default:
      return { history, refetch: false };
  }
}

function sameMembers(a: Room, b: Room): boolean {
  if (a.members.length !== b.members.length) return false;
  const ids = new Set(a.members.map((m) => m.id));
  return b.members.every((m) => ids.has(m.id));
}

/** The whole snapshot after one event, with what must be fetched again. */
export function reduceChat(snapshot: ChatSnapshot, event: ChatEvent, ctx: EventContext, effects: Effects = noEffects()): ChatSnapshot {
  if (event.type === 'resync') {
    effects.refetchRooms = true;
    effects.refetchHistories = 'all';
    return snapshot;
  }
  const roomId = eventRoomId(event);
  let rooms = snapshot.rooms;
  const before = roomId ? rooms?.find((r) => r.id === roomId) : undefined;
  if (rooms) {
    const result = reduceRooms(rooms, event, ctx);
    rooms = result.rooms;
    if (result.refetch) effects.refetchRooms = true;
  }
  let histories = snapshot.histories;
  const history = roomId ? histories[roomId] : undefined;
  if (roomId && history) {
    const kind = before ?? (event.type === 'room.created' || event.type === 'room.updated' ? event.room : undefined);
    const result = reduceHistory(history, event, kind, ctx);
    if (result.history !== history) histories = { ...histories, [roomId]: result.history };
    if (result.refetch && effects.refetchHistories !== 'all') effects.refetchHistories.add(roomId);
  }
  // Someone joined or left: the per-message unread counts are counted over a different set of people.
  if (roomId && history && before && event.type === 'room.updated' && !sameMembers(before, event.room)) {
    if (effects.refetchHistories !== 'all') effects.refetchHistories.add(roomId);
  }
  if (event.type === 'message.created' && event.message.senderId !== ctx.me) {
    const known = history?.pages.some((p) => p.items.some((m) => m.id === event.message.id));
    const older = before?.lastMessage && event.message.seq <= before.lastMessage.seq;
    if (!known && !older) effects.arrived.push(event.message);
  }
  return rooms === snapshot.rooms && histories === snapshot.histories ? snapshot : { rooms, histories };
}
