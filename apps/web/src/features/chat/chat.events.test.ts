import type { ChatEvent } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { noEffects, reduceChat, reduceRooms, type ChatSnapshot, type EventContext } from './chat.events.ts';
import { ann, bo, cy, history, message, page, room } from './chat.fixtures.ts';

const NOW = '2030-01-02T00:00:00.000Z';
const ctx = (extra: Partial<EventContext> = {}): EventContext => ({ me: ann.id, visibleRoomId: null, now: NOW, ...extra });

function run(snapshot: ChatSnapshot, events: ChatEvent[], context = ctx()) {
  const effects = noEffects();
  const fresh = events.reduce((s, e) => reduceChat(s, e, context, effects), snapshot);
  return { fresh, effects };
}

describe('old snapshot + events = fresh snapshot', () => {
  const m1 = message('r1', 1, ann.id, { unreadCount: 1 });
  const m2 = message('r1', 2, bo.id);
  const g1 = message('r2', 1, cy.id, { unreadCount: 1 });

  const old: ChatSnapshot = {
    rooms: [
      room('r2', 'group', [ann, bo, cy], { lastMessage: g1, unreadCount: 1 }),
      room('r1', 'direct', [ann, bo], { lastMessage: m2 }),
    ],
    histories: { r1: history(page([m1, m2])) },
  };

  it('a conversation in a 1:1 room: messages, an edit, a deletion and a read', () => {
    const m3 = message('r1', 3, bo.id, { unreadCount: 1 });
    const m4 = message('r1', 4, ann.id, { unreadCount: 1 });
    const m3edited = { ...m3, body: 'edited', editedAt: NOW };
    const { fresh, effects } = run(old, [
      { type: 'message.created', roomId: 'r1', message: m3 },
      { type: 'message.created', roomId: 'r1', message: m4 },
      { type: 'message.updated', roomId: 'r1', message: m3edited },
      { type: 'room.read', roomId: 'r1', userId: bo.id, seq: 4 },
      { type: 'message.deleted', roomId: 'r1', messageId: m2.id, seq: 2 },
    ]);

    const expected: ChatSnapshot = {
      rooms: [
        // Moved to the top by the new messages; Bo's message counts as unread for me, mine does not.
        room('r1', 'direct', [ann, bo], { lastMessage: { ...m4, unreadCount: 0 }, unreadCount: 1 }),
        old.rooms![0]!,
      ],
      histories: {
        r1: history(
          page([
            { ...m1, unreadCount: 0 }, // Bo read it
            { ...m2, body: '', deletedAt: NOW },
            m3edited, // Bo's own message: Bo reading changes nothing for it
            { ...m4, unreadCount: 0 },
          ]),
        ),
      },
    };
    expect(fresh).toEqual(expected);
    expect(effects.refetchRooms).toBe(false);
    expect(effects.refetchHistories).toEqual(new Set());
    expect(effects.arrived.map((m) => m.id)).toEqual([m3.id]);
  });

  it('a message in the room on screen is not unread, and my own reading clears the badge', () => {
    const g2 = message('r2', 2, bo.id, { unreadCount: 2 });
    const { fresh } = run(old, [{ type: 'message.created', roomId: 'r2', message: g2 }], ctx({ visibleRoomId: 'r2' }));
    expect(fresh.rooms![0]).toMatchObject({ id: 'r2', unreadCount: 1, lastMessage: g2 });

    const { fresh: read } = run(fresh, [{ type: 'room.read', roomId: 'r2', userId: ann.id, seq: 2 }]);
    expect(read.rooms![0]!.unreadCount).toBe(0);
  });

  it('replaying the same events changes nothing more (resume after a reconnect may overlap)', () => {
    const m3 = message('r1', 3, bo.id, { unreadCount: 1 });
    const events: ChatEvent[] = [
      { type: 'message.created', roomId: 'r1', message: m3 },
      { type: 'message.deleted', roomId: 'r1', messageId: m3.id, seq: 3 },
    ];
    const once = run(old, events).fresh;
    const { fresh: twice, effects } = run(once, events);
    expect(twice).toEqual(once);
    expect(twice.rooms![0]!.unreadCount).toBe(1);
    expect(effects.arrived).toEqual([]); // no second notification
  });

  it('a room I am added to appears at the top; a room I left disappears', () => {
    const newRoom = room('r3', 'group', [bo, ann]);
    const { fresh } = run(old, [{ type: 'room.created', room: newRoom }]);
    expect(fresh.rooms!.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);

    const withoutMe = room('r2', 'group', [bo, cy]);
    const { fresh: left } = run(fresh, [{ type: 'room.updated', room: withoutMe }]);
    expect(left.rooms!.map((r) => r.id)).toEqual(['r3', 'r1']);
  });

  it('a renamed group keeps its place', () => {
    const renamed = { ...old.rooms![1]!, name: 'Renamed' };
    const { fresh } = run(old, [{ type: 'room.updated', room: renamed }]);
    expect(fresh.rooms!.map((r) => [r.id, r.name])).toEqual([
      ['r2', 'Group r2'],
      ['r1', 'Renamed'],
    ]);
  });

  it('asks the server when the snapshot cannot know', () => {
    // A message in a room the list has never heard of.
    expect(run(old, [{ type: 'message.created', roomId: 'r9', message: message('r9', 1, bo.id) }]).effects.refetchRooms).toBe(true);
    // I read part of a room: the count is left alone, because the server's room.updated that follows carries it.
    const partly = { ...old, rooms: [room('r2', 'group', [ann, bo, cy], { lastMessage: message('r2', 5, cy.id), unreadCount: 3 })] };
    const exact = { ...partly.rooms[0]!, unreadCount: 2 };
    const { fresh, effects } = run(partly, [
      { type: 'room.read', roomId: 'r2', userId: ann.id, seq: 3 },
      { type: 'room.updated', room: exact },
    ]);
    expect(effects.refetchRooms).toBe(false);
    expect(fresh.rooms![0]!.unreadCount).toBe(2);
    // Someone read in a group: only the server knows who else has not.
    const group = { ...old, histories: { r2: history(page([g1])) } };
    expect(run(group, [{ type: 'room.read', roomId: 'r2', userId: bo.id, seq: 1 }]).effects.refetchHistories).toEqual(new Set(['r2']));
    // …but not when nothing unread is affected.
    expect(run(group, [{ type: 'room.read', roomId: 'r2', userId: cy.id, seq: 1 }]).effects.refetchHistories).toEqual(new Set());
    // Resync: everything.
    const all = run(old, [{ type: 'resync' }]).effects;
    expect(all.refetchRooms).toBe(true);
    expect(all.refetchHistories).toBe('all');
  });

  it('typing and presence leave the snapshot alone', () => {
    const { fresh } = run(old, [
      { type: 'typing', roomId: 'r1', userId: bo.id },
      { type: 'presence', userId: bo.id, online: true },
    ]);
    expect(fresh).toBe(old);
  });
});

describe('replies and reactions', () => {
  const original = message('r1', 1, bo.id, { body: 'Lunch at noon?' });
  const quote = { id: original.id, senderId: bo.id, snippet: 'Lunch at noon?', deleted: false, photo: false };
  const reply = message('r1', 2, ann.id, { body: 'Yes!', replyTo: quote });
  const older = message('r1', 0, cy.id, { replyTo: { ...quote, id: 'r1-m-1' } });
  const snapshot = (): ChatSnapshot => ({ rooms: undefined, histories: { r1: history(page([reply, original]), page([older])) } });
  const loaded = (s: ChatSnapshot) => s.histories.r1!.pages.flatMap((p) => p.items);

  it('a live deletion turns every loaded quote of the message into "deleted", without asking the server', () => {
    const { fresh, effects } = run(snapshot(), [{ type: 'message.deleted', roomId: 'r1', messageId: original.id, seq: 1 }]);
    expect(loaded(fresh).find((m) => m.id === reply.id)!.replyTo).toEqual({ ...quote, snippet: '', deleted: true });
    expect(loaded(fresh).find((m) => m.id === older.id)).toBe(older); // quotes something else
    expect(effects.refetchHistories).toEqual(new Set());
  });

  it('an edit shows in its quotes; a late copy of the old words does not bring them back', () => {
    const edited = { ...original, body: 'Lunch at one?', editedAt: NOW };
    const { fresh } = run(snapshot(), [
      { type: 'message.updated', roomId: 'r1', message: edited },
      { type: 'message.created', roomId: 'r1', message: original },
    ]);
    expect(loaded(fresh).find((m) => m.id === reply.id)!.replyTo!.snippet).toBe('Lunch at one?');
  });

  it('my deletion as the API answers it (a message.updated) turns its quotes too', () => {
    const gone = { ...original, body: '', deletedAt: NOW };
    const { fresh } = run(snapshot(), [{ type: 'message.updated', roomId: 'r1', message: gone }]);
    expect(loaded(fresh).find((m) => m.id === reply.id)!.replyTo!.deleted).toBe(true);
  });

  it('a reaction arrives as the whole message, and taking it back as the next one', () => {
    const hearted = { ...original, reactions: [{ emoji: '❤️' as const, count: 1, userIds: [ann.id] }] };
    const once = run(snapshot(), [{ type: 'message.updated', roomId: 'r1', message: hearted }]).fresh;
    expect(loaded(once).find((m) => m.id === original.id)!.reactions).toEqual(hearted.reactions);
    const back = run(once, [{ type: 'message.updated', roomId: 'r1', message: { ...original, reactions: [] } }]).fresh;
    expect(loaded(back).find((m) => m.id === original.id)!.reactions).toEqual([]);
  });
});

describe('reduceRooms', () => {
  it('an older message arriving late does not move the room or change its last message', () => {
    const rooms = [room('a', 'direct', [ann, cy], { lastMessage: message('a', 9, cy.id) }), room('b', 'direct', [ann, bo], { lastMessage: message('b', 5, bo.id) })];
    const result = reduceRooms(rooms, { type: 'message.created', roomId: 'b', message: message('b', 4, bo.id) }, ctx());
    expect(result.rooms).toBe(rooms);
  });
});
