/**
 * DESIGN §7.25 against the real API: a client's old snapshot plus the events it receives equals a fresh snapshot,
 * using the SPA's own reducer (src/features/chat/chat.events.ts). Where the reducer says it cannot know (a read in
 * a group), it asks for a refetch, and that is checked too.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTRPCClient, createWSClient, httpBatchLink, wsLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import type { ChatEvent, Session } from '@youngchat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { noEffects, reduceChat, type ChatSnapshot } from '../src/features/chat/chat.events.ts';
import { codeFromOutbox, startApi, type ApiProcess } from './support.ts';

describe('old snapshot + events = fresh snapshot', () => {
  let dataDir: string;
  let api: ApiProcess;
  let baseUrl: string;

  const client = (session?: Session) =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${baseUrl}/trpc`, headers: () => (session ? { authorization: `Bearer ${session.accessToken}` } : {}) })],
    });

  async function account(nickname: string): Promise<Session> {
    const email = `${nickname.toLowerCase()}.${randomUUID().slice(0, 8)}@example.com`;
    await client().auth.signUp.mutate({ email, password: 'a long enough secret', nickname });
    return client().auth.verifyEmail.mutate({ email, code: await codeFromOutbox(baseUrl, email), session: 'token' });
  }

  async function snapshotOf(session: Session, roomIds: string[]): Promise<ChatSnapshot> {
    const api = client(session);
    const histories: ChatSnapshot['histories'] = {};
    for (const roomId of roomIds) histories[roomId] = { pages: [await api.messages.list.query({ roomId })], pageParams: [null] };
    return { rooms: await api.rooms.list.query(), histories };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'youngchat-snapshot-'));
    api = startApi(dataDir);
    baseUrl = `http://127.0.0.1:${await api.port}`;
  });
  afterAll(async () => {
    api?.child.kill('SIGTERM');
    await api?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds for sends, edits, deletes, reads, invites and leaves', async () => {
    const [ann, bob, cat] = [await account('Ann'), await account('Bob'), await account('Cat')];
    const A = client(ann);
    const B = client(bob);
    const C = client(cat);
    const direct = await A.rooms.openDirect.mutate({ userId: bob.user.id });
    const group = await A.rooms.createGroup.mutate({ name: 'Team', memberIds: [bob.user.id] });
    await A.messages.send.mutate({ roomId: direct.id, body: 'before', clientId: randomUUID() });

    // Bob's client: subscribe first, then take the snapshot (events that overlap it must apply harmlessly).
    const events: ChatEvent[] = [];
    const socket = createWSClient({ url: `${baseUrl.replace('http', 'ws')}/trpc`, WebSocket: WebSocket as never, connectionParams: async () => ({ accessToken: bob.accessToken }) });
    const live = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket })] });
    await new Promise<void>((resolve, reject) => {
      live.events.live.subscribe(
        {},
        {
          onStarted: () => resolve(),
          onError: reject,
          onData: (item) => events.push(('data' in (item as object) ? (item as { data: ChatEvent }).data : item) as ChatEvent),
        },
      );
    });
    const old = await snapshotOf(bob, [direct.id, group.id]);

    const hello = await A.messages.send.mutate({ roomId: direct.id, body: 'hello Bob', clientId: randomUUID() });
    await A.messages.send.mutate({ roomId: direct.id, body: 'are you there?', clientId: randomUUID() });
    await A.messages.edit.mutate({ messageId: hello.id, body: 'hello, Bob' });
    const oops = await A.messages.send.mutate({ roomId: group.id, body: 'oops', clientId: randomUUID() });
    await A.messages.delete.mutate({ messageId: oops.id });
    await B.messages.send.mutate({ roomId: group.id, body: 'hi team', clientId: randomUUID() });
    await B.rooms.markRead.mutate({ roomId: direct.id, seq: hello.seq });
    await A.rooms.invite.mutate({ roomId: group.id, userIds: [cat.user.id] });
    await C.messages.send.mutate({ roomId: group.id, body: 'Cat here', clientId: randomUUID() });
    await C.rooms.leave.mutate({ roomId: group.id });
    await A.rooms.markRead.mutate({ roomId: direct.id, seq: 999 });

    // Let the stream settle, then replay it onto the old snapshot with the SPA's reducer.
    await new Promise((r) => setTimeout(r, 500));
    const effects = noEffects();
    const ctx = { me: bob.user.id, visibleRoomId: null, now: new Date().toISOString() };
    const reduced = events.reduce((snapshot, event) => reduceChat(snapshot, event, ctx, effects), old);
    const fresh = await snapshotOf(bob, [direct.id, group.id]);
    void socket.close();

    expect(events.length).toBeGreaterThan(10);
    expect(effects.refetchRooms).toBe(false);
    expect(reduced.rooms).toEqual(fresh.rooms);
    // A 1:1 room's history is fully determined by the events.
    expect(effects.refetchHistories === 'all' || effects.refetchHistories.has(direct.id)).toBe(false);
    expect(reduced.histories[direct.id]!.pages.flatMap((p) => p.items)).toEqual(fresh.histories[direct.id]!.pages.flatMap((p) => p.items));
    // In a group, the bodies and order follow from the events; unread numbers are refetched when reads arrive.
    const strip = (items: { body: string; seq: number; deletedAt: string | null }[]) => items.map(({ body, seq, deletedAt }) => ({ body, seq, deleted: deletedAt !== null }));
    expect(strip(reduced.histories[group.id]!.pages.flatMap((p) => p.items))).toEqual(strip(fresh.histories[group.id]!.pages.flatMap((p) => p.items)));
  });
});
