import type { ChatEvent, Room, User } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { NOBODY, onlineMembers, presenceAfter, reducePresence } from './chat.presence.ts';

const presence = (userId: string, online: boolean): ChatEvent => ({ type: 'presence', userId, online });
const person = (id: string): User => ({ id, nickname: id, statusMessage: '', avatarUrl: null });

describe('reducePresence', () => {
  it('adds who comes online and removes who goes offline', () => {
    const one = reducePresence(NOBODY, presence('bo', true));
    expect([...one]).toEqual(['bo']);
    const two = reducePresence(one, presence('cy', true));
    expect([...two].sort()).toEqual(['bo', 'cy']);
    expect([...reducePresence(two, presence('bo', false))]).toEqual(['cy']);
  });

  it('keeps the same set when nothing changes, so nothing re-renders', () => {
    const online = reducePresence(NOBODY, presence('bo', true));
    expect(reducePresence(online, presence('bo', true))).toBe(online);
    expect(reducePresence(online, presence('cy', false))).toBe(online);
    expect(reducePresence(online, { type: 'typing', roomId: 'r', userId: 'cy' })).toBe(online);
    expect(reducePresence(online, { type: 'resync' })).toBe(online);
  });

  it('never changes the set it was given', () => {
    const online = reducePresence(NOBODY, presence('bo', true));
    reducePresence(online, presence('bo', false));
    expect([...online]).toEqual(['bo']);
    expect(NOBODY.size).toBe(0);
  });

  it('applies a burst in order: the last word about someone wins', () => {
    const after = presenceAfter(NOBODY, [presence('bo', true), presence('cy', true), presence('bo', false), presence('dee', true)]);
    expect([...after].sort()).toEqual(['cy', 'dee']);
    expect(presenceAfter(after, [])).toBe(after);
  });
});

describe('onlineMembers', () => {
  const room: Pick<Room, 'members'> = { members: [person('me'), person('bo'), person('cy'), person('dee')] };

  it('lists the other members who are online, in the room’s order, never me', () => {
    const online = new Set(['dee', 'me', 'bo', 'stranger']);
    expect(onlineMembers(room, online, 'me').map((u) => u.id)).toEqual(['bo', 'dee']);
    expect(onlineMembers(room, NOBODY, 'me')).toEqual([]);
  });
});
