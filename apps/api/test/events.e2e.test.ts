import { randomUUID } from 'node:crypto';
import { EVENT_VERSION, type ChatEvent, type Session } from '@youngchat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appendToLog, pruneEventsBefore } from '../src/modules/events/events.repository.ts';
import { appCodeOf, createAccount, httpClient } from './clients.ts';
import { bodies, listen, type Received } from './streams.ts';
import { realServicesEnv, startTestServer, type TestServer } from './harness.ts';
import { describeWithServices } from './services.ts';
import { until } from './wait.ts';

/** Bob leaves a group and is invited back while his stream is away; resuming, he hears nothing of the time between. */
async function resumesAcrossLeaveAndReturn(server: TestServer, ann: Session, bob: Session): Promise<void> {
  const as = (s: Session) => httpClient(server, { accessToken: s.accessToken });
  const say = (body: string) => as(ann).messages.send.mutate({ roomId: room.id, body, clientId: randomUUID() });
  const room = await as(ann).rooms.createGroup.mutate({ name: 'Back again', memberIds: [bob.user.id] });
  const { cursor } = await as(bob).events.poll.query({ waitMs: 0 });
  await say('before');
  await as(bob).rooms.leave.mutate({ roomId: room.id });
  await say('while away');
  await as(ann).rooms.invite.mutate({ roomId: room.id, userIds: [bob.user.id] });
  await say('after');
  const stream = listen(server, bob, 'ws', cursor);
  await stream.until((r) => bodies(r).includes('after'));
  await new Promise((r) => setTimeout(r, 200));
  const seen = stream.durable().map((r) => (r.event.type === 'message.created' ? r.event.message.body : r.event.type));
  expect(seen).toEqual(['before', 'room.updated', 'room.created', 'after']);
  stream.close();
}

function eventsSuite(getServer: () => TestServer) {
  let ann: Session;
  let bob: Session;
  const as = (s: Session) => httpClient(getServer(), { accessToken: s.accessToken });
  const send = (s: Session, roomId: string, body: string) => as(s).messages.send.mutate({ roomId, body, clientId: randomUUID() });

  beforeAll(async () => {
    [ann, bob] = await Promise.all([createAccount(getServer(), { nickname: 'Ann' }), createAccount(getServer(), { nickname: 'Bob' })]);
  });

  it('delivers room and message events live over WebSocket, in order, with increasing ids', async () => {
    const stream = listen(getServer(), bob, 'ws');
    await stream.ready;
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Live', memberIds: [bob.user.id] });
    for (const body of ['one', 'two', 'three']) await send(ann, room.id, body);
    await stream.until((r) => bodies(r).length === 3);
    expect(stream.received[0]!.event).toMatchObject({ type: 'room.created', room: { id: room.id, name: 'Live' } });
    expect(bodies(stream.received)).toEqual(['one', 'two', 'three']);
    const ids = stream.durable().map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    stream.close();
  });

  it('resumes after lastEventId with exactly the missed events, edits and deletes included', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Resume', memberIds: [bob.user.id] });
    const first = listen(getServer(), bob, 'ws');
    await first.ready;
    await send(ann, room.id, 'seen');
    await first.until((r) => bodies(r).includes('seen'));
    const resumeFrom = first.lastId();
    first.close();

    const missed = await send(ann, room.id, 'missed 1');
    await send(ann, room.id, 'missed 2');
    await as(ann).messages.edit.mutate({ messageId: missed.id, body: 'missed 1 (edited)' });
    await as(ann).messages.delete.mutate({ messageId: missed.id });

    const second = listen(getServer(), bob, 'ws', resumeFrom);
    await second.until((r) => r.filter((x) => x.id !== null).length >= 4);
    await new Promise((r) => setTimeout(r, 200));
    expect(second.durable().map((r) => r.event.type)).toEqual(['message.created', 'message.created', 'message.updated', 'message.deleted']);
    expect(bodies(second.received)).toEqual(['missed 1', 'missed 2']);
    second.close();
  });

  it('gets all 200 messages exactly once, in order, across a connection cut while they arrive', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Storm', memberIds: [bob.user.id] });
    const stream = listen(getServer(), bob, 'ws');
    await stream.ready;
    const sending = (async () => {
      for (let i = 1; i <= 200; i++) await send(ann, room.id, `m${i}`);
    })();
    await stream.until((r) => bodies(r).length >= 50);
    // Cut the socket from the server side; the client reconnects and resumes from its last id.
    for (const ws of getServer().deps.connections.socketsOf(bob.user.id)) ws.terminate();
    await sending;
    await stream.until((r) => bodies(r).filter((b) => b.startsWith('m')).length >= 200, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(bodies(stream.received).filter((b) => /^m\d+$/.test(b))).toEqual(Array.from({ length: 200 }, (_, i) => `m${i + 1}`));
    stream.close();
  });

  it('backfills an event whose live relay was lost', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Lost', memberIds: [bob.user.id] });
    const { cursor } = await as(bob).events.poll.query({ waitMs: 0 });
    const stream = listen(getServer(), bob, 'ws', cursor);
    await stream.ready;
    // Committed, but never relayed: as if the broker dropped it.
    await getServer().deps.database.db.transaction().execute((tx) =>
      appendToLog(tx, [{ roomId: room.id, userId: null, membership: null, event: { type: 'room.read', roomId: room.id, userId: ann.user.id, seq: 0 } }]),
    );
    await send(ann, room.id, 'after the loss');
    await stream.until((r) => bodies(r).includes('after the loss'));
    expect(stream.durable().map((r) => r.event.type)).toEqual(['room.read', 'message.created']);
    stream.close();
  });

  it('delivers the same events over WebSocket, SSE and long-polling', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Transports', memberIds: [bob.user.id] });
    const start = await as(bob).events.poll.query({ waitMs: 0 });
    const viaWs = listen(getServer(), bob, 'ws', start.cursor);
    const viaSse = listen(getServer(), bob, 'sse', start.cursor);
    await Promise.all([viaWs.ready, viaSse.ready]);
    const message = await send(ann, room.id, 'everywhere');
    await as(ann).messages.edit.mutate({ messageId: message.id, body: 'everywhere!' });
    await as(bob).rooms.markRead.mutate({ roomId: room.id, seq: message.seq });
    const polled = await as(bob).events.poll.query({ after: start.cursor, waitMs: 0 });
    await viaWs.until((r) => r.filter((x) => x.id !== null).length >= polled.events.length);
    await viaSse.until((r) => r.filter((x) => x.id !== null).length >= polled.events.length);
    const shape = (items: Received[]) => items.filter((r) => r.id !== null).map((r) => [r.id, r.event]);
    expect(polled.events.filter((e) => e.id !== null).map((e) => e.event.type)).toEqual(['message.created', 'message.updated', 'room.read', 'room.updated']);
    expect(shape(viaWs.received)).toEqual(shape(polled.events));
    expect(shape(viaSse.received)).toEqual(shape(polled.events));
    viaWs.close();
    viaSse.close();
  });

  it('resumes across a leave and a return: what was said before, the leave, the return, what was said after', async () => {
    await resumesAcrossLeaveAndReturn(getServer(), ann, bob);
  });

  it('answers resync to a resume position it never gave out, then carries on live', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Bogus', memberIds: [bob.user.id] });
    const stream = listen(getServer(), bob, 'ws', '999999999');
    await stream.until((r) => r.some((x) => x.event.type === 'resync'));
    await send(ann, room.id, 'after resync');
    await stream.until((r) => bodies(r).includes('after resync'));
    stream.close();
  });

  it('long-polls: waits for the next event and answers as soon as it is stored', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Poll', memberIds: [bob.user.id] });
    const { cursor } = await as(bob).events.poll.query({ waitMs: 0 });
    const started = Date.now();
    const waiting = as(bob).events.poll.query({ after: cursor, waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    await send(ann, room.id, 'wake up');
    const answer = await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer.events.filter((e) => e.event.type !== 'presence').map((e) => e.event.type)).toEqual(['message.created']);
    expect(Number(answer.cursor)).toBeGreaterThan(Number(cursor));
  });

  it('relays typing only to the other members, and nothing more to someone who left', async () => {
    const cat = await createAccount(getServer(), { nickname: 'Cat' });
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Typing', memberIds: [bob.user.id, cat.user.id] });
    const bobs = listen(getServer(), bob, 'ws');
    const anns = listen(getServer(), ann, 'ws');
    await Promise.all([bobs.ready, anns.ready]);
    await as(ann).rooms.setTyping.mutate({ roomId: room.id });
    await bobs.until((r) => r.some((x) => x.event.type === 'typing'));
    expect(bobs.received.find((x) => x.event.type === 'typing')).toEqual({ id: null, event: { type: 'typing', roomId: room.id, userId: ann.user.id } });

    const catsOtherDevice = listen(getServer(), cat, 'ws');
    await catsOtherDevice.ready;
    await as(cat).rooms.leave.mutate({ roomId: room.id });
    await catsOtherDevice.until((r) => r.some((x) => x.event.type === 'room.updated'));
    const leaveNotice = catsOtherDevice.received.find((x) => x.event.type === 'room.updated')!.event as { room: { members: { id: string }[] } };
    expect(leaveNotice.room.members.map((m) => m.id)).not.toContain(cat.user.id);
    catsOtherDevice.close();
    const cats = listen(getServer(), cat, 'ws');
    await cats.ready;
    await send(ann, room.id, 'after Cat left');
    await bobs.until((r) => bodies(r).includes('after Cat left'));
    await new Promise((r) => setTimeout(r, 200));
    expect(cats.received).toEqual([]);
    expect(anns.received.some((x) => x.event.type === 'typing')).toBe(false);
    for (const s of [bobs, anns, cats]) s.close();
  });

  it('tells people who share a room who is online: the current set when a stream opens, then each change', async () => {
    const [cat, dan] = await Promise.all([createAccount(getServer(), { nickname: 'Cat' }), createAccount(getServer(), { nickname: 'Dan' })]);
    await as(cat).rooms.openDirect.mutate({ userId: dan.user.id });
    const presence = (items: Received[]) => items.flatMap((r) => (r.event.type === 'presence' ? [r.event] : []));
    const anns = listen(getServer(), ann, 'ws'); // shares no room with Cat or Dan
    const cats = listen(getServer(), cat, 'ws');
    await Promise.all([anns.ready, cats.ready]);

    const dans = listen(getServer(), dan, 'sse');
    await dans.until((r) => presence(r).length > 0);
    // A stream's opening set and a change made while it opens may both say so: a repeat is harmless.
    expect(new Set(presence(dans.received).map((e) => JSON.stringify(e)))).toEqual(new Set([JSON.stringify({ type: 'presence', userId: cat.user.id, online: true })]));
    await cats.until((r) => presence(r).length > 0);
    expect(new Set(presence(cats.received).map((e) => JSON.stringify(e)))).toEqual(new Set([JSON.stringify({ type: 'presence', userId: dan.user.id, online: true })]));
    // Every poll answer says who is online now, in full: a poller hears no changes between polls.
    const firstPoll = await as(cat).events.poll.query({ waitMs: 0 });
    expect(firstPoll.events.map((e) => e.event)).toContainEqual({ type: 'presence', userId: dan.user.id, online: true });

    dans.close();
    await cats.until((r) => presence(r).some((e) => !e.online));
    expect(presence(cats.received).at(-1)).toEqual({ type: 'presence', userId: dan.user.id, online: false });
    const laterPoll = await as(cat).events.poll.query({ after: firstPoll.cursor, waitMs: 0 });
    expect(laterPoll.events.filter((e) => e.event.type === 'presence' && e.event.userId === dan.user.id)).toEqual([]);
    expect(presence(anns.received).filter((e) => e.userId === cat.user.id || e.userId === dan.user.id)).toEqual([]);

    // Someone already online who joins one of my rooms is announced with the room.
    await as(ann).rooms.createGroup.mutate({ name: 'Newly met', memberIds: [cat.user.id] });
    await cats.until((r) => presence(r).some((e) => e.userId === ann.user.id));
    expect(presence(cats.received).filter((e) => e.userId === ann.user.id)).toEqual([{ type: 'presence', userId: ann.user.id, online: true }]);
    anns.close();
    cats.close();
  });

  // Last in the suite: it prunes every stored event.
  it('prunes old events: a client resuming from before what is kept resyncs, an up-to-date one carries on', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Pruned', memberIds: [bob.user.id] });
    const { cursor: old } = await as(bob).events.poll.query({ waitMs: 0 });
    await send(ann, room.id, 'soon pruned');
    const { cursor: latest } = await as(bob).events.poll.query({ after: old, waitMs: 0 });
    expect(await pruneEventsBefore(getServer().deps.database.db, new Date(Date.now() + 60_000), 2)).toBeGreaterThan(0);

    const polled = await as(bob).events.poll.query({ after: old, waitMs: 0 });
    expect(polled.cursor).toBe(latest);
    expect(polled.events.filter((e) => e.event.type !== 'presence')).toEqual([{ id: null, event: { type: 'resync' } }]);
    const behind = listen(getServer(), bob, 'ws', old);
    const current = listen(getServer(), bob, 'sse', latest);
    await behind.until((r) => r.some((x) => x.event.type === 'resync'));
    await current.ready;
    await send(ann, room.id, 'after pruning');
    await behind.until((r) => bodies(r).includes('after pruning'));
    await current.until((r) => bodies(r).includes('after pruning'));
    expect(current.received.some((x) => x.event.type === 'resync')).toBe(false);
    behind.close();
    current.close();
  });
}

describe('live events, embedded mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MESSAGES_PER_MINUTE: '10000', PRESENCE_GRACE_MS: '200' });
  });
  afterAll(() => server?.close());
  eventsSuite(() => server);
});

/** Instances A and B on the real services, started before the suite's tests and removed after them. */
function twoInstances(env: Record<string, string> = {}): () => { a: TestServer; b: TestServer } {
  let servers: { a: TestServer; b: TestServer } | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const real = await realServicesEnv();
    cleanup = real.cleanup;
    const [a, b] = await Promise.all(['a', 'b'].map((id) => startTestServer({ ...real.env, ...env, INSTANCE_ID: id })));
    servers = { a: a!, b: b! };
  });
  afterAll(async () => {
    await servers?.a.close();
    await servers?.b.close();
    await cleanup?.();
  });
  return () => servers!;
}

await describeWithServices('live events, real services and two instances', ['postgres', 'redis', 'rabbitmq'], () => {
  const pair = twoInstances({ MESSAGES_PER_MINUTE: '10000', PRESENCE_GRACE_MS: '200' });
  let a: TestServer;
  let b: TestServer;
  beforeAll(() => ({ a, b } = pair()));

  eventsSuite(() => a);

  it('relays a message sent through instance A to a subscriber on instance B, and stores a clientId sent through both once', async () => {
    const [ann, bob] = await Promise.all([createAccount(a, { nickname: 'Ann' }), createAccount(a, { nickname: 'Bob' })]);
    const stream = listen(b, bob, 'ws');
    await stream.ready;
    const room = await httpClient(a, { accessToken: ann.accessToken }).rooms.createGroup.mutate({ name: 'Across', memberIds: [bob.user.id] });
    await httpClient(a, { accessToken: ann.accessToken }).messages.send.mutate({ roomId: room.id, body: 'from A', clientId: randomUUID() });
    await stream.until((r) => bodies(r).includes('from A'), 5_000);
    stream.close();

    // One clientId sent through both instances at once is one message.
    for (let round = 0; round < 5; round++) {
      const clientId = randomUUID();
      const sent = await Promise.all(
        [a, b, a, b].map((server) =>
          httpClient(server, { accessToken: ann.accessToken }).messages.send.mutate({ roomId: room.id, body: 'once', clientId }),
        ),
      );
      expect(new Set(sent.map((m) => m.id)).size).toBe(1);
    }
    const page = await httpClient(b, { accessToken: bob.accessToken }).messages.list.query({ roomId: room.id });
    expect(page.items.map((m) => m.seq)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('shows someone connected to instance B as online to a contact on instance A, then offline when they go', async () => {
    const [ann, bob] = await Promise.all([createAccount(a, { nickname: 'Ann' }), createAccount(a, { nickname: 'Bob' })]);
    await httpClient(a, { accessToken: ann.accessToken }).rooms.openDirect.mutate({ userId: bob.user.id });
    const anns = listen(a, ann, 'ws');
    await anns.ready;
    const bobs = listen(b, bob, 'ws');
    await bobs.until((r) => r.some((x) => x.event.type === 'presence'), 5_000);
    expect(bobs.received.map((x) => x.event)).toContainEqual({ type: 'presence', userId: ann.user.id, online: true });
    await anns.until((r) => r.some((x) => x.event.type === 'presence'), 5_000);
    bobs.close();
    await anns.until((r) => r.some((x) => x.event.type === 'presence' && !x.event.online), 5_000);
    expect(a.deps.presence.isOnline(bob.user.id)).toBe(false);
    anns.close();
  });

  it('closes the user’s socket on instance B when they log out on instance A, and B refuses the token at once', async () => {
    const bob = await createAccount(a, { nickname: 'Bob' });
    const stream = listen(b, bob, 'ws');
    await stream.ready;
    expect(b.deps.connections.countFor(bob.user.id)).toBe(1);
    // B has found Bob's token live just now (and remembers it for a few seconds).
    const meOnB = () => httpClient(b, { accessToken: bob.accessToken }).auth.me.query();
    expect((await meOnB()).id).toBe(bob.user.id);
    await httpClient(a, { accessToken: bob.accessToken }).auth.logout.mutate();
    const deadline = Date.now() + 2_000;
    while (b.deps.connections.countFor(bob.user.id) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(b.deps.connections.countFor(bob.user.id)).toBe(0);
    expect(await appCodeOf(meOnB())).toBe('UNAUTHORIZED');
    stream.close();
  });
});

describe('live events with little memory: replays come from the database', () => {
  let server: TestServer;
  let ann: Session;
  let bob: Session;
  beforeAll(async () => {
    server = await startTestServer({ MESSAGES_PER_MINUTE: '10000', STREAM_MEMORY_EVENTS: '10' });
    [ann, bob] = await Promise.all([createAccount(server, { nickname: 'Ann' }), createAccount(server, { nickname: 'Bob' })]);
  });
  afterAll(() => server?.close());

  it('replays more than a page of missed events, every one once and in order', async () => {
    const as = (s: Session) => httpClient(server, { accessToken: s.accessToken });
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Long away', memberIds: [bob.user.id] });
    const { cursor } = await as(bob).events.poll.query({ waitMs: 0 });
    const count = 620;
    for (let i = 0; i < count; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, () => as(ann).messages.send.mutate({ roomId: room.id, body: 'missed', clientId: randomUUID() })),
      );
    }
    const stream = listen(server, bob, 'ws', cursor);
    await stream.until((r) => bodies(r).length >= count, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const seqs = stream.received.flatMap((r) => (r.event.type === 'message.created' ? [r.event.message.seq] : []));
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    const polled = await as(bob).events.poll.query({ after: cursor, waitMs: 0 });
    expect(polled.events.filter((e) => e.id !== null)).toHaveLength(500);
    stream.close();
  });

  it('resumes across a leave and a return from the database too', async () => {
    await resumesAcrossLeaveAndReturn(server, ann, bob);
  });
  it('replays resync in place of a stored event of another version, and everything around it as it was', async () => {
    const as = (s: Session) => httpClient(server, { accessToken: s.accessToken });
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Versions', memberIds: [bob.user.id] });
    const { cursor } = await as(bob).events.poll.query({ waitMs: 0 });
    await as(ann).messages.send.mutate({ roomId: room.id, body: 'before', clientId: randomUUID() });
    const read = await as(ann).rooms.markRead.mutate({ roomId: room.id, seq: 1 });
    await as(ann).messages.send.mutate({ roomId: room.id, body: 'after', clientId: randomUUID() });
    // As if a later release had written the read event in a shape this one does not know.
    const { db } = server.deps.database;
    const stored = await db.selectFrom('stream_events').select('pos').where('room_id', '=', room.id).where('user_id', 'is', null).where('event', 'like', '%room.read%').executeTakeFirstOrThrow();
    await db.updateTable('stream_events').set({ version: EVENT_VERSION + 1 }).where('pos', '=', stored.pos).execute();
    // Pushed out of memory, so the replay reads the database.
    for (let i = 0; i < 12; i++) await as(ann).rooms.setTyping.mutate({ roomId: room.id }).then(() => as(bob).rooms.markRead.mutate({ roomId: room.id, seq: 0 }));
    const polled = await as(bob).events.poll.query({ after: cursor, waitMs: 0 });
    const inRoom = polled.events.filter((e) => e.id !== null && Number(e.id) <= stored.pos + 2);
    expect(inRoom.map((e) => (e.event.type === 'message.created' ? e.event.message.body : e.event.type))).toEqual(['before', 'resync', 'after']);
    expect(inRoom.find((e) => e.event.type === 'resync')?.id).toBe(String(stored.pos));
    expect(read.seq).toBe(1);
    expect(server.logs.lines.some((l) => l.msg === 'a stored event was unreadable: the reader gets resync in its place')).toBe(true);
  });
});

describe('a client that stops reading', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ WS_MAX_BUFFERED_BYTES: String(256 * 1024) });
  });
  afterAll(() => server?.close());

  it('is cut off once its unsent data passes the limit, and the server keeps serving others', async () => {
    const [slow, fine] = await Promise.all([createAccount(server), createAccount(server)]);
    // A raw socket speaking tRPC's protocol that subscribes, then stops reading.
    const ws = new WebSocket(`${server.wsUrl}?connectionParams=1`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ method: 'connectionParams', data: { accessToken: slow.accessToken } }));
    ws.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'events.live', input: {} } }));
    await new Promise((r) => setTimeout(r, 300));
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));

    const blob = 'x'.repeat(64 * 1024);
    const deadline = Date.now() + 15_000;
    let cut = false;
    void closed.then(() => (cut = true));
    while (!cut && Date.now() < deadline && server.deps.connections.countFor(slow.user.id) > 0) {
      await server.deps.stream.publishEphemeral([slow.user.id], { type: 'typing', roomId: blob, userId: slow.user.id });
      await new Promise((r) => setImmediate(r));
    }
    expect(server.deps.connections.countFor(slow.user.id)).toBe(0);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^ws_slow_consumers_cut_total [1-9]/m);
    // Everyone else is unaffected.
    expect((await httpClient(server, { accessToken: fine.accessToken }).auth.me.query()).id).toBe(fine.user.id);
    ws.terminate();
  });
});

describe('an SSE stream or a long-poll that falls behind', () => {
  let server: TestServer;
  let ann: Session;
  let bob: Session;
  const as = (s: Session) => httpClient(server, { accessToken: s.accessToken });
  beforeAll(async () => {
    server = await startTestServer({ MESSAGES_PER_MINUTE: '10000', STREAM_QUEUE_EVENTS: '5', STREAM_MEMORY_EVENTS: '10' });
    [ann, bob] = await Promise.all([createAccount(server, { nickname: 'Ann' }), createAccount(server, { nickname: 'Bob' })]);
  });
  afterAll(() => server?.close());

  it('holds at most STREAM_QUEUE_EVENTS for a reader that stopped reading, which then gets every event once, in order', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Slow reader', memberIds: [bob.user.id] });
    const { cursor } = await as(bob).events.poll.query({ waitMs: 0 });
    const stop = new AbortController();
    // events.live as the SSE route runs it: a generator its transport pulls only as fast as the client reads.
    const reader = server.deps.services.events.live(bob.user.id, cursor, stop.signal);
    const first = reader.next();
    for (let i = 1; i <= 30; i++) await as(ann).messages.send.mutate({ roomId: room.id, body: `m${i}`, clientId: randomUUID() });
    const got: string[] = [];
    for (let item = await first; !item.done; item = await reader.next()) {
      const event = JSON.parse(JSON.stringify(item.value.event)) as ChatEvent;
      if (event.type === 'message.created') got.push(event.message.body);
      if (got.length === 30) break;
    }
    stop.abort();
    await reader.return(undefined);
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 1}`));
    // It did fill its queue, and went on from where the queue ended.
    expect(server.logs.lines.some((l) => l.msg === 'slow reader caught up with its full queue; resuming from its position' && l.userId === bob.user.id)).toBe(true);
  });

  it('answers a long-poll with at most STREAM_QUEUE_EVENTS, its cursor where they end, so polling again misses nothing', async () => {
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Slow poller', memberIds: [bob.user.id] });
    let { cursor } = await as(bob).events.poll.query({ waitMs: 0 });
    for (let i = 1; i <= 12; i++) await as(ann).messages.send.mutate({ roomId: room.id, body: `p${i}`, clientId: randomUUID() });
    const got: string[] = [];
    for (let polls = 0; got.length < 12 && polls < 10; polls++) {
      const answer = await as(bob).events.poll.query({ after: cursor, waitMs: 0 });
      const durable = answer.events.filter((e) => e.id !== null);
      expect(durable.length).toBeLessThanOrEqual(5);
      for (const { event } of durable) if (event.type === 'message.created' && event.roomId === room.id) got.push(event.message.body);
      cursor = answer.cursor;
    }
    expect(got).toEqual(Array.from({ length: 12 }, (_, i) => `p${i + 1}`));
  });
});

// Its own pair of instances: sign-ups are limited per address, and the suite above uses its share.
await describeWithServices('history on two instances', ['postgres', 'redis', 'rabbitmq'], () => {
  const pair = twoInstances();
  let a: TestServer;
  let b: TestServer;
  beforeAll(() => ({ a, b } = pair()));

  it('counts unread in history on instance B from a read made on instance A, and from someone joining there', async () => {
    const [ann, bob, cat] = await Promise.all([
      createAccount(a, { nickname: 'Ann' }),
      createAccount(a, { nickname: 'Bob' }),
      createAccount(a, { nickname: 'Cat' }),
    ]);
    const onA = (s: Session) => httpClient(a, { accessToken: s.accessToken });
    const room = await onA(ann).rooms.createGroup.mutate({ name: 'Rosters', memberIds: [bob.user.id] });
    await onA(ann).messages.send.mutate({ roomId: room.id, body: 'read me', clientId: randomUUID() });
    const unreadOnB = async () => (await httpClient(b, { accessToken: ann.accessToken }).messages.list.query({ roomId: room.id })).items[0]!.unreadCount;
    // B keeps the room's roster from this page on.
    expect(await unreadOnB()).toBe(1);
    await onA(bob).rooms.markRead.mutate({ roomId: room.id, seq: 1 });
    await until(async () => (await unreadOnB()) === 0, 5_000);
    // A newcomer on A is not counted for what came before them, and is for what comes after.
    await onA(ann).rooms.invite.mutate({ roomId: room.id, userIds: [cat.user.id] });
    await onA(ann).messages.send.mutate({ roomId: room.id, body: 'welcome', clientId: randomUUID() });
    await until(async () => (await httpClient(b, { accessToken: ann.accessToken }).messages.list.query({ roomId: room.id })).items.length === 2, 5_000);
    const page = await httpClient(b, { accessToken: ann.accessToken }).messages.list.query({ roomId: room.id });
    expect(page.items.map((m) => [m.body, m.unreadCount])).toEqual([['welcome', 2], ['read me', 0]]);
  });
});
