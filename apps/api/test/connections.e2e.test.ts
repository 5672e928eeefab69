import { randomUUID } from 'node:crypto';
import { CONNECTION_REPLACED_CLOSE_CODE, SESSION_ENDED_CLOSE_CODE, TOO_MANY_CONNECTIONS_CLOSE_CODE, type Session } from '@youngchat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appCodeOf, createAccount, httpClient } from './clients.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { bodies, listen } from './streams.ts';
import { until } from './wait.ts';

/** A raw socket speaking tRPC's protocol, so the test sees the server's close codes and answers itself. */
async function rawSocket(server: TestServer, accessToken?: string) {
  const ws = new WebSocket(accessToken ? `${server.wsUrl}?connectionParams=1` : server.wsUrl);
  const answers: { id?: number; error?: { data?: { appCode?: string } }; result?: { type?: string } }[] = [];
  let closedWith: number | undefined;
  ws.on('message', (raw) => answers.push(JSON.parse(raw.toString())));
  ws.on('close', (code) => (closedWith = code));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  if (accessToken) ws.send(JSON.stringify({ method: 'connectionParams', data: { accessToken } }));
  return {
    ws,
    answers,
    closedWith: () => closedWith,
    /** The first answer to a message with this id. */
    async call(message: { id: number; [key: string]: unknown }) {
      const before = answers.length;
      const answer = () => answers.slice(before).find((a) => a.id === message.id);
      ws.send(JSON.stringify(message));
      await until(() => answer() !== undefined || closedWith !== undefined, 5_000);
      return answer();
    },
  };
}

describe('connections: ended with their sign-in, and capped', () => {
  let server: TestServer;
  let ann: Session;
  let bob: Session & { password: string };
  const as = (s: Session) => httpClient(server, { accessToken: s.accessToken });
  const send = (s: Session, roomId: string, body: string) => as(s).messages.send.mutate({ roomId, body, clientId: randomUUID() });

  beforeAll(async () => {
    server = await startTestServer({ MAX_CONNECTIONS_PER_USER: '3', MAX_SOCKETS_PER_ADDRESS: '6', MAX_SUBSCRIPTIONS_PER_SOCKET: '1' });
    [ann, bob] = await Promise.all([createAccount(server, { nickname: 'Ann' }), createAccount(server, { nickname: 'Bob' })]);
  });
  afterAll(() => server?.close());

  it('ends an SSE stream and a long-poll of a sign-in at its logout: nothing said afterwards reaches them', async () => {
    const session = await httpClient(server).auth.login.mutate({ email: bob.user.email!, password: bob.password, session: 'token' });
    const room = await as(ann).rooms.createGroup.mutate({ name: 'After logout', memberIds: [bob.user.id] });
    const sse = listen(server, session, 'sse');
    await sse.ready;
    await send(ann, room.id, 'before');
    await sse.until((r) => bodies(r).includes('before'));
    const { cursor } = await as(session).events.poll.query({ waitMs: 0 });
    const poll = appCodeOf(as(session).events.poll.query({ after: cursor, waitMs: 20_000 }));
    await until(() => server.deps.connections.countFor(bob.user.id) === 2, 5_000);

    await as(session).auth.logout.mutate();
    expect(await poll).toBe('UNAUTHORIZED');
    await until(() => sse.errors.length > 0, 5_000);
    expect(sse.errors).toEqual(['UNAUTHORIZED']);
    await send(ann, room.id, 'after');
    await new Promise((r) => setTimeout(r, 300));
    expect(bodies(sse.received)).toEqual(['before']);
    expect(server.deps.connections.countFor(bob.user.id)).toBe(0);
    sse.close();
  });

  it('ends only the connections of the sign-in that logged out, not the person’s other devices', async () => {
    const laptop = await httpClient(server).auth.login.mutate({ email: bob.user.email!, password: bob.password, session: 'token' });
    const room = await as(ann).rooms.createGroup.mutate({ name: 'Two devices', memberIds: [bob.user.id] });
    const [onLaptop, onPhone] = [listen(server, laptop, 'ws'), listen(server, bob, 'ws')];
    await Promise.all([onLaptop.ready, onPhone.ready]);
    const laptopSocket = server.deps.connections.socketsOf(bob.user.id)[0]!;
    const closed = new Promise<number>((resolve) => laptopSocket.once('close', resolve));
    await as(laptop).auth.logout.mutate();
    expect(await closed).toBe(SESSION_ENDED_CLOSE_CODE);
    await send(ann, room.id, 'still here?');
    await onPhone.until((r) => bodies(r).includes('still here?'));
    expect(server.deps.connections.countFor(bob.user.id)).toBe(1);
    onLaptop.close();
    onPhone.close();
    await until(() => server.deps.connections.countFor(bob.user.id) === 0, 5_000);
  });

  it('lets the oldest of one person’s sockets give way past MAX_CONNECTIONS_PER_USER, with a close code saying so', async () => {
    const sockets: Awaited<ReturnType<typeof rawSocket>>[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = await rawSocket(server, bob.accessToken);
      await socket.call({ id: 1, method: 'query', params: { path: 'auth.me' } });
      sockets.push(socket);
    }
    expect(server.deps.connections.countFor(bob.user.id)).toBe(3);
    const newest = await rawSocket(server, bob.accessToken);
    expect((await newest.call({ id: 1, method: 'query', params: { path: 'auth.me' } }))?.result).toBeDefined();
    await until(() => sockets[0]!.closedWith() !== undefined, 5_000);
    expect(sockets.map((s) => s.closedWith())).toEqual([CONNECTION_REPLACED_CLOSE_CODE, undefined, undefined]);
    expect(server.deps.connections.countFor(bob.user.id)).toBe(3);
    for (const socket of [...sockets, newest]) socket.ws.close();
    await until(() => server.deps.connections.countFor(bob.user.id) === 0, 5_000);
  });

  it('refuses a subscription past MAX_SUBSCRIPTIONS_PER_SOCKET with TOO_MANY_CONNECTIONS, and keeps the first', async () => {
    const socket = await rawSocket(server, ann.accessToken);
    const subscribe = (id: number) => ({ id, method: 'subscription', params: { path: 'events.live', input: {} } });
    expect((await socket.call(subscribe(1)))?.result?.type).toBe('started');
    socket.ws.send(JSON.stringify(subscribe(2)));
    // tRPC says "started" before the procedure runs, then its error.
    await until(() => socket.answers.some((a) => a.id === 2 && a.error), 5_000);
    expect(socket.answers.find((a) => a.id === 2 && a.error)?.error?.data?.appCode).toBe('TOO_MANY_CONNECTIONS');
    expect(socket.closedWith()).toBeUndefined();
    socket.ws.close();
  });

  it('refuses the newest socket past MAX_SOCKETS_PER_ADDRESS, signed in or not, with a close code saying so', async () => {
    // The sockets of the tests before are gone on the server's side too.
    await until(async () => (await server.deps.metrics.wsOpen.get()).values[0]?.value === 0, 5_000);
    const sockets: Awaited<ReturnType<typeof rawSocket>>[] = [];
    for (let i = 0; i < 6; i++) sockets.push(await rawSocket(server));
    const refused = await rawSocket(server);
    await until(() => refused.closedWith() !== undefined, 5_000);
    expect(refused.closedWith()).toBe(TOO_MANY_CONNECTIONS_CLOSE_CODE);
    expect(sockets.map((s) => s.closedWith())).toEqual(Array(6).fill(undefined));
    // One leaves, and there is room again.
    sockets[0]!.ws.close();
    await until(() => sockets[0]!.closedWith() !== undefined, 5_000);
    const again = await rawSocket(server);
    expect((await again.call({ id: 1, method: 'query', params: { path: 'system.info' } }))?.result).toBeDefined();
    for (const socket of [...sockets, again]) socket.ws.close();
  });
});
