import { randomUUID } from 'node:crypto';
import { LIMITS, type Session } from '@youngchat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCodeOf, createAccount, httpClient } from './clients.ts';
import { realServicesEnv, startTestServer, type TestServer } from './harness.ts';
import { describeWithServices } from './services.ts';
import { bodies, listen } from './streams.ts';

function chatSuite(getServer: () => TestServer) {
  let ann: Session;
  let bob: Session;
  let cat: Session;
  const as = (s: Session) => httpClient(getServer(), { accessToken: s.accessToken });

  beforeAll(async () => {
    [ann, bob, cat] = await Promise.all([
      createAccount(getServer(), { nickname: 'Ann' }),
      createAccount(getServer(), { nickname: 'Bob' }),
      createAccount(getServer(), { nickname: 'Cat' }),
    ]);
  });

  it('opens one 1:1 room per pair, whoever opens it, named after the other person', async () => {
    const fromAnn = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    const fromBob = await as(bob).rooms.openDirect.mutate({ userId: ann.user.id });
    const again = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    expect(fromBob.id).toBe(fromAnn.id);
    expect(again.id).toBe(fromAnn.id);
    expect(fromAnn).toMatchObject({ kind: 'direct', name: 'Bob', lastMessage: null, unreadCount: 0 });
    expect(fromBob.name).toBe('Ann');
    expect(fromAnn.members.map((m) => m.nickname).sort()).toEqual(['Ann', 'Bob']);
    expect(await appCodeOf(as(ann).rooms.openDirect.mutate({ userId: ann.user.id }))).toBe('BAD_INPUT');
    expect(await appCodeOf(as(ann).rooms.openDirect.mutate({ userId: randomUUID() }))).toBe('NOT_FOUND');
  });

  it('reads an id in upper case as the same id: the same person, the same room (the fuzz test found a 500)', async () => {
    const room = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    expect((await as(ann).rooms.openDirect.mutate({ userId: bob.user.id.toUpperCase() })).id).toBe(room.id);
    expect(await appCodeOf(as(ann).rooms.openDirect.mutate({ userId: ann.user.id.toUpperCase() }))).toBe('BAD_INPUT');
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Case', memberIds: [bob.user.id, bob.user.id.toUpperCase(), ann.user.id.toUpperCase()] });
    expect(group.members.map((m) => m.nickname).sort()).toEqual(['Ann', 'Bob']);
    const sent = await as(ann).messages.send.mutate({ roomId: group.id.toUpperCase(), body: 'hi', clientId: randomUUID().toUpperCase() });
    expect(sent.roomId).toBe(group.id);
  });

  it('sends once per clientId: five retries make one message, and reuse in another room conflicts', async () => {
    const room = await as(ann).rooms.openDirect.mutate({ userId: cat.user.id });
    const clientId = randomUUID();
    const sends = await Promise.all(
      Array.from({ length: 5 }, () => as(ann).messages.send.mutate({ roomId: room.id, body: 'hello', clientId })),
    );
    expect(new Set(sends.map((m) => m.id)).size).toBe(1);
    const page = await as(cat).messages.list.query({ roomId: room.id });
    expect(page.items.filter((m) => m.clientId === clientId)).toHaveLength(1);

    const other = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    expect(await appCodeOf(as(ann).messages.send.mutate({ roomId: other.id, body: 'hello', clientId }))).toBe('CONFLICT');

    // The same clientId into two rooms at the same moment: one message, and the other send is told so.
    const racing = randomUUID();
    const outcomes = await Promise.allSettled(
      [room.id, other.id].map((roomId) => as(ann).messages.send.mutate({ roomId, body: 'race', clientId: racing })),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected')!;
    expect(await appCodeOf(Promise.reject(rejected.reason))).toBe('CONFLICT');
    const pages = await Promise.all([room.id, other.id].map((roomId) => as(ann).messages.list.query({ roomId })));
    expect(pages.flatMap((p) => p.items).filter((m) => m.clientId === racing)).toHaveLength(1);
  });

  it('leaves no hole in a room’s seqs for retries sent among other messages, and keeps its last message right', async () => {
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Retries', memberIds: [bob.user.id] });
    const retried = randomUUID();
    const send = (body: string, clientId: string) => as(ann).messages.send.mutate({ roomId: group.id, body, clientId });
    const sent = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? send('retried', retried) : send(`other ${i}`, randomUUID()))),
    );
    const distinct = new Map(sent.map((m) => [m.id, m.seq]));
    expect([...distinct.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: distinct.size }, (_, i) => i + 1));
    expect(distinct.size).toBe(11);
    const next = await send('after', randomUUID());
    expect(next.seq).toBe(12);
    expect((await as(bob).rooms.get.query({ roomId: group.id })).lastMessage).toMatchObject({ id: next.id, seq: 12 });
  });

  it('records a read in a 100-member room as two entries of the log, whatever the room’s size', async () => {
    const db = getServer().deps.database.db;
    const others = Array.from({ length: 98 }, () => randomUUID());
    await db
      .insertInto('users')
      .values(others.map((id) => ({ id, email: `${id}@example.com`, password_hash: 'not a hash', nickname: 'Member' })))
      .execute();
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Hundred', memberIds: [bob.user.id, ...others] });
    expect(group.members).toHaveLength(100);
    const message = await as(ann).messages.send.mutate({ roomId: group.id, body: 'hi all', clientId: randomUUID() });
    const count = async () => Number((await db.selectFrom('stream_events').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await as(bob).rooms.markRead.mutate({ roomId: group.id, seq: message.seq });
    expect((await count()) - before).toBe(2);
  });

  it('gives 50 concurrent senders gap-free, unique per-room seqs', async () => {
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Fifty', memberIds: [bob.user.id, cat.user.id] });
    const senders = [ann, bob, cat];
    const sent = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        as(senders[i % 3]!).messages.send.mutate({ roomId: group.id, body: `message ${i}`, clientId: randomUUID() }),
      ),
    );
    expect(sent.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('lets people send and read in one room at the same moment without a deadlock (a cluster journey found one)', async () => {
    const room = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    // Each round: both send, and both mark read what they have, all at once (the SPA reads as messages arrive).
    for (let round = 0; round < 40; round++) {
      const calls = [ann, bob].flatMap((who) => [
        as(who).messages.send.mutate({ roomId: room.id, body: `round ${round}`, clientId: randomUUID() }),
        as(who).rooms.markRead.mutate({ roomId: room.id, seq: round * 2 }),
      ]);
      const failed = (await Promise.allSettled(calls)).filter((r) => r.status === 'rejected');
      expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    }
  });

  it('moves a read position only by markRead, which everyone hears: a send reads nothing for its sender', async () => {
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Reads', memberIds: [bob.user.id, cat.user.id] });
    const first = await as(ann).messages.send.mutate({ roomId: group.id, body: 'who is coming?', clientId: randomUUID() });
    const unreadOfFirst = async () => (await as(ann).messages.list.query({ roomId: group.id })).items.find((m) => m.id === first.id)!.unreadCount;
    // Bob answers without having read: Ann heard no room.read from him, so her copy must still count him.
    await as(bob).messages.send.mutate({ roomId: group.id, body: 'me!', clientId: randomUUID() });
    expect(await unreadOfFirst()).toBe(2);
    expect((await as(bob).rooms.get.query({ roomId: group.id })).unreadCount).toBe(1);
    await as(bob).rooms.markRead.mutate({ roomId: group.id, seq: first.seq + 1 });
    expect(await unreadOfFirst()).toBe(1);
    expect((await as(bob).rooms.get.query({ roomId: group.id })).unreadCount).toBe(0);
  });

  it('pages history newest first with a keyset cursor, every message exactly once', async () => {
    const group = await as(bob).rooms.createGroup.mutate({ name: 'History', memberIds: [ann.user.id] });
    for (let i = 1; i <= 75; i++) {
      await as(bob).messages.send.mutate({ roomId: group.id, body: `#${i}`, clientId: randomUUID() });
    }
    const seen: number[] = [];
    let cursor: number | null = null;
    const sizes: number[] = [];
    do {
      const page: Awaited<ReturnType<ReturnType<typeof as>['messages']['list']['query']>> = await as(ann).messages.list.query({
        roomId: group.id,
        cursor,
        limit: 30,
      });
      sizes.push(page.items.length);
      seen.push(...page.items.map((m) => m.seq));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(sizes).toEqual([30, 30, 15]);
    expect(seen).toEqual(Array.from({ length: 75 }, (_, i) => 75 - i));
    expect(await appCodeOf(as(ann).messages.list.query({ roomId: group.id, limit: LIMITS.history.maxPage + 1 }))).toBe('BAD_INPUT');
  });

  it('answers a history page on its fast path exactly as tRPC answers it, and leaves every refusal to tRPC', async () => {
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Same page', memberIds: [bob.user.id] });
    for (const body of ['a', 'b', 'c']) await as(ann).messages.send.mutate({ roomId: group.id, body, clientId: randomUUID() });
    const get = async (path: string, input: unknown, session: Session = bob) => {
      const response = await fetch(`${getServer().url}/trpc/${path}input=${encodeURIComponent(JSON.stringify(input))}`, {
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const query = { roomId: group.id, limit: 2 };
    // Two calls in one batch go through tRPC; one call, plain or batched, takes the fast path.
    const viaTrpc = await get('messages.list,messages.list?batch=1&', { 0: query, 1: query });
    const [fromTrpc] = viaTrpc.body as unknown[];
    expect(viaTrpc.status).toBe(200);
    expect(await get('messages.list?batch=1&', { 0: query })).toEqual({ status: 200, body: [fromTrpc] });
    expect(await get('messages.list?', query)).toEqual({ status: 200, body: fromTrpc });
    const refused = async (input: unknown, session?: Session) =>
      ((await get('messages.list?', input, session)).body as { error: { data: { appCode: string } } }).error.data.appCode;
    expect(await refused({ roomId: group.id, limit: 0 })).toBe('BAD_INPUT');
    expect(await refused(query, cat)).toBe('FORBIDDEN');
    expect(await refused(query, { ...bob, accessToken: 'not a token' })).toBe('UNAUTHORIZED');
  });

  it('counts unread per message (KakaoTalk’s number) and per room as members read', async () => {
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Reads', memberIds: [bob.user.id, cat.user.id] });
    for (const body of ['one', 'two', 'three']) {
      await as(ann).messages.send.mutate({ roomId: group.id, body, clientId: randomUUID() });
    }
    let page = await as(ann).messages.list.query({ roomId: group.id });
    expect(page.items.map((m) => m.unreadCount)).toEqual([2, 2, 2]);

    expect(await as(bob).rooms.markRead.mutate({ roomId: group.id, seq: 2 })).toEqual({ roomId: group.id, seq: 2 });
    // Read positions only move forward and never past the last message.
    expect(await as(bob).rooms.markRead.mutate({ roomId: group.id, seq: 1 })).toEqual({ roomId: group.id, seq: 2 });
    expect(await as(cat).rooms.markRead.mutate({ roomId: group.id, seq: 999 })).toEqual({ roomId: group.id, seq: 3 });
    page = await as(ann).messages.list.query({ roomId: group.id });
    expect(page.items.map((m) => [m.body, m.unreadCount])).toEqual([
      ['three', 1],
      ['two', 0],
      ['one', 0],
    ]);
    const unread = async (s: Session) => (await as(s).rooms.get.query({ roomId: group.id })).unreadCount;
    expect([await unread(ann), await unread(bob), await unread(cat)]).toEqual([0, 1, 0]);
  });

  it('lists rooms by latest activity with their last message', async () => {
    const quiet = await as(cat).rooms.createGroup.mutate({ name: 'Quiet', memberIds: [bob.user.id] });
    const busy = await as(cat).rooms.createGroup.mutate({ name: 'Busy', memberIds: [bob.user.id] });
    await as(bob).messages.send.mutate({ roomId: quiet.id, body: 'first', clientId: randomUUID() });
    await as(bob).messages.send.mutate({ roomId: busy.id, body: 'latest', clientId: randomUUID() });
    const rooms = await as(cat).rooms.list.query();
    const order = rooms.map((r) => r.id);
    expect(order.indexOf(busy.id)).toBeLessThan(order.indexOf(quiet.id));
    expect(rooms.find((r) => r.id === busy.id)).toMatchObject({ name: 'Busy', unreadCount: 1, lastMessage: { body: 'latest' } });
  });

  it('lets only members in; newcomers read from their arrival; leavers get nothing more', async () => {
    const group = await as(ann).rooms.createGroup.mutate({ name: 'Members', memberIds: [bob.user.id] });
    await as(ann).messages.send.mutate({ roomId: group.id, body: 'before Cat', clientId: randomUUID() });
    const outsider = as(cat);
    expect(await appCodeOf(outsider.messages.list.query({ roomId: group.id }))).toBe('FORBIDDEN');
    expect(await appCodeOf(outsider.messages.send.mutate({ roomId: group.id, body: 'hi', clientId: randomUUID() }))).toBe('FORBIDDEN');
    expect(await appCodeOf(outsider.rooms.get.query({ roomId: group.id }))).toBe('FORBIDDEN');
    expect(await appCodeOf(outsider.rooms.markRead.mutate({ roomId: group.id, seq: 1 }))).toBe('FORBIDDEN');
    expect(await appCodeOf(outsider.rooms.setTyping.mutate({ roomId: group.id }))).toBe('FORBIDDEN');
    expect(await appCodeOf(outsider.rooms.get.query({ roomId: randomUUID() }))).toBe('FORBIDDEN');

    await as(bob).rooms.invite.mutate({ roomId: group.id, userIds: [cat.user.id] });
    await as(ann).messages.send.mutate({ roomId: group.id, body: 'after Cat', clientId: randomUUID() });
    // Asked at the same moment, the page is read once for all three (messages.pages.ts); Cat still reads from arrival.
    const [forAnn, forBob, forCat] = await Promise.all([ann, bob, cat].map((who) => as(who).messages.list.query({ roomId: group.id })));
    expect(forCat!.items.map((m) => m.body)).toEqual(['after Cat']);
    expect(forAnn!.items.map((m) => m.body)).toEqual(['after Cat', 'before Cat']);
    expect(forBob).toEqual(forAnn);

    await outsider.rooms.leave.mutate({ roomId: group.id });
    expect(await appCodeOf(outsider.messages.list.query({ roomId: group.id }))).toBe('FORBIDDEN');
    expect((await outsider.rooms.list.query()).map((r) => r.id)).not.toContain(group.id);

    // Invited back, Cat reads from the return: not what was said while away, nor before.
    await as(ann).messages.send.mutate({ roomId: group.id, body: 'while Cat was away', clientId: randomUUID() });
    const back = await as(bob).rooms.invite.mutate({ roomId: group.id, userIds: [cat.user.id] });
    expect(back.members.map((m) => m.nickname).sort()).toEqual(['Ann', 'Bob', 'Cat']);
    const asCat = (await outsider.rooms.list.query()).find((r) => r.id === group.id);
    expect(asCat).toMatchObject({ lastMessage: null, unreadCount: 0 });
    expect((await outsider.messages.list.query({ roomId: group.id })).items).toEqual([]);
    await as(ann).messages.send.mutate({ roomId: group.id, body: 'welcome back', clientId: randomUUID() });
    expect((await outsider.messages.list.query({ roomId: group.id })).items.map((m) => m.body)).toEqual(['welcome back']);
    await outsider.rooms.leave.mutate({ roomId: group.id });
    const remaining = await as(ann).rooms.get.query({ roomId: group.id });
    expect(remaining.members.map((m) => m.nickname).sort()).toEqual(['Ann', 'Bob']);
    const direct = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    expect(await appCodeOf(as(ann).rooms.invite.mutate({ roomId: direct.id, userIds: [cat.user.id] }))).toBe('BAD_INPUT');
  });

  it('lets only the sender edit or delete, and keeps a deleted message’s place without its words', async () => {
    const room = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    const message = await as(ann).messages.send.mutate({ roomId: room.id, body: 'tpyo', clientId: randomUUID() });
    expect(await appCodeOf(as(bob).messages.edit.mutate({ messageId: message.id, body: 'hacked' }))).toBe('FORBIDDEN');
    const edited = await as(ann).messages.edit.mutate({ messageId: message.id, body: 'typo' });
    expect(edited).toMatchObject({ id: message.id, seq: message.seq, body: 'typo', editedAt: expect.any(String) });
    const deleted = await as(ann).messages.delete.mutate({ messageId: message.id });
    expect(deleted).toMatchObject({ id: message.id, body: '', deletedAt: expect.any(String) });
    expect(await appCodeOf(as(ann).messages.edit.mutate({ messageId: message.id, body: 'again' }))).toBe('NOT_FOUND');
    const page = await as(bob).messages.list.query({ roomId: room.id });
    expect(page.items.find((m) => m.id === message.id)).toMatchObject({ body: '', deletedAt: expect.any(String) });
  });

  it('refuses empty, oversized and control-character bodies with BAD_INPUT', async () => {
    const room = await as(ann).rooms.openDirect.mutate({ userId: bob.user.id });
    for (const body of ['', '   \n ', 'x'.repeat(LIMITS.message.maxChars + 1), 'bell\u0007']) {
      expect(await appCodeOf(as(ann).messages.send.mutate({ roomId: room.id, body, clientId: randomUUID() })), JSON.stringify(body.slice(0, 10))).toBe(
        'BAD_INPUT',
      );
    }
    const multiline = await as(ann).messages.send.mutate({ roomId: room.id, body: '  line one\nline two 👋  ', clientId: randomUUID() });
    expect(multiline.body).toBe('line one\nline two 👋');
  });

  it('blocking: the blocker leaves the 1:1 room, hears nothing more from it, and cannot be pulled back', async () => {
    const [dan, eve] = await Promise.all([
      createAccount(getServer(), { nickname: 'Dan' }),
      createAccount(getServer(), { nickname: 'Eve' }),
    ]);
    const room = await as(eve).rooms.openDirect.mutate({ userId: dan.user.id });
    await as(eve).messages.send.mutate({ roomId: room.id, body: 'before', clientId: randomUUID() });
    const danStream = listen(getServer(), dan, 'ws');
    await danStream.ready;

    await as(dan).users.block.mutate({ userId: eve.user.id });
    await danStream.until((r) => r.some((x) => x.event.type === 'room.updated'));
    expect((await as(dan).rooms.list.query()).map((r) => r.id)).not.toContain(room.id);
    expect((await as(dan).users.blocked.query()).map((u) => u.nickname)).toEqual(['Eve']);
    expect(await appCodeOf(as(dan).rooms.openDirect.mutate({ userId: eve.user.id }))).toBe('BLOCKED');
    expect(await appCodeOf(as(dan).users.block.mutate({ userId: dan.user.id }))).toBe('BAD_INPUT');

    // Eve can still write into the room, but it no longer reaches Dan; she cannot bring him back either.
    const reopened = await as(eve).rooms.openDirect.mutate({ userId: dan.user.id });
    expect(reopened.id).toBe(room.id);
    expect(reopened.members.map((m) => m.nickname)).toEqual(['Eve']);
    await as(eve).messages.send.mutate({ roomId: room.id, body: 'while blocked', clientId: randomUUID() });
    const group = await as(eve).rooms.createGroup.mutate({ name: 'Trap', memberIds: [dan.user.id, ann.user.id] });
    expect(group.members.map((m) => m.nickname).sort()).toEqual(['Ann', 'Eve']);
    await as(eve).rooms.invite.mutate({ roomId: group.id, userIds: [dan.user.id] });
    expect(await appCodeOf(as(dan).rooms.get.query({ roomId: group.id }))).toBe('FORBIDDEN');
    await as(eve).messages.send.mutate({ roomId: group.id, body: 'in the trap', clientId: randomUUID() });
    await new Promise((r) => setTimeout(r, 300));
    expect(bodies(danStream.received)).toEqual([]);
    danStream.close();

    await as(dan).users.unblock.mutate({ userId: eve.user.id });
    expect(await as(dan).users.blocked.query()).toEqual([]);
    const back = await as(dan).rooms.openDirect.mutate({ userId: eve.user.id });
    expect(back.members.map((m) => m.nickname).sort()).toEqual(['Dan', 'Eve']);
    // Unblocking follows the returning-member rule: what Eve wrote while blocked never reaches Dan.
    expect(back).toMatchObject({ lastMessage: null, unreadCount: 0 });
    expect((await as(dan).messages.list.query({ roomId: room.id })).items).toEqual([]);
  });
}

describe('rooms and messages, embedded mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MESSAGES_PER_MINUTE: '10000' });
  });
  afterAll(() => server?.close());
  chatSuite(() => server);
});

await describeWithServices('rooms and messages, real services', ['postgres', 'redis', 'rabbitmq'], () => {
  let server: TestServer;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const real = await realServicesEnv();
    cleanup = real.cleanup;
    server = await startTestServer({ ...real.env, MESSAGES_PER_MINUTE: '10000' });
  });
  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });
  chatSuite(() => server);
});
