import type { ChatEvent, Room, User } from '@youngchat/shared';

/**
 * Who is online, among the people I share a room with. Presence is ephemeral: every new live stream (each
 * (re)connect, or a poll from "now") starts with one `presence {online: true}` per person online at that moment,
 * and anyone not mentioned is offline; transitions follow as they happen. So the set is emptied when a stream
 * starts, and also when the stream is lost, since from then on we cannot vouch for anyone.
 */
export type OnlineSet = ReadonlySet<string>;

export const NOBODY: OnlineSet = new Set<string>();

/** The set after one event; the same set when nothing changed (so React skips a render). */
export function reducePresence(online: OnlineSet, event: ChatEvent): OnlineSet {
  if (event.type !== 'presence' || event.online === online.has(event.userId)) return online;
  const next = new Set(online);
  if (event.online) next.add(event.userId);
  else next.delete(event.userId);
  return next;
}

export function presenceAfter(online: OnlineSet, events: readonly ChatEvent[]): OnlineSet {
  return events.reduce(reducePresence, online);
}

/** The other members of a room who are online now, in the room's order. */
export function onlineMembers(room: Pick<Room, 'members'>, online: OnlineSet, me: string): User[] {
  return room.members.filter((m) => m.id !== me && online.has(m.id));
}
