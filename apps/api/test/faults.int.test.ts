import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import type { ChatEvent, Session } from '@youngchat/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppRouter } from '../src/index.ts';
import { createAccount, httpClient } from './clients.ts';
import { realServicesEnv, startTestServer, type TestServer } from './harness.ts';
import { ensureServerBuilt, startProcess } from './process.ts';
import { SERVICES, describeWithServices } from './services.ts';
import { proxyInFrontOf, throughProxy, type TcpProxy } from './tcp-proxy.ts';
import { sleep, until } from './wait.ts';

/**
 * DESIGN §7's faults under traffic, each with messages flowing from a sender to a receiver: every acknowledged
 * message reaches the receiver once, in order. The sender is a careful client: a send that fails is sent again with
 * the same clientId until it is acknowledged. Instance A runs here, reaching PostgreSQL and Redis through proxies
 * the test can stall or cut; instance B is a separate process that can be killed. The shared services are never
 * touched.
 */
await describeWithServices('faults under traffic', ['postgres', 'redis', 'rabbitmq'], () => {
  let a: TestServer;
  let database: TcpProxy;
  let redis: TcpProxy;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let ann: Session;
  let bob: Session & { password: string };

  beforeAll(async () => {
    await ensureServerBuilt();
    const real = await realServicesEnv();
    ({ env, cleanup } = real);
    database = await proxyInFrontOf(env.DATABASE_URL!);
    redis = await proxyInFrontOf(SERVICES.redis);
    a = await startTestServer({
      ...env,
      INSTANCE_ID: 'a',
      DATABASE_URL: throughProxy(env.DATABASE_URL!, database),
      REDIS_URL: throughProxy(env.REDIS_URL!, redis),
      MESSAGES_PER_MINUTE: '10000',
    });
    [ann, bob] = await Promise.all([createAccount(a, { nickname: 'Ann' }), createAccount(a, { nickname: 'Bob' })]);
  });
  afterAll(async () => {
    await a?.close();
    await database?.close();
    await redis?.close();
    await cleanup?.();
  });

  /** Bob's stream over a socket that reconnects to wherever `url()` points at the time, resuming from its last id. */
  function receive(url: () => string) {
    const bodies: string[] = [];
    const socket = createWSClient({ url, WebSocket: WebSocket as never, connectionParams: async () => ({ accessToken: bob.accessToken }), retryDelayMs: () => 100 });
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket })] });
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const subscription = client.events.live.subscribe(
      { lastEventId: null },
      {
        onStarted: () => started(),
        onData: (item) => {
          const event = ('data' in item ? item.data : item) as ChatEvent;
          if (event.type === 'message.created') bodies.push(event.message.body);
        },
      },
    );
    return {
      bodies,
      ready,
      close() {
        subscription.unsubscribe();
        void socket.close();
      },
    };
  }

  /**
   * Sends `count` messages from Ann one after another, calling `fault` before the `at`th; returns what was
   * acknowledged and how many sends had to be tried again.
   */
  async function converse(roomId: string, count: number, at: number, fault: () => Promise<void> | void) {
    const api = httpClient(a, { accessToken: ann.accessToken });
    const acknowledged: string[] = [];
    let retries = 0;
    for (let i = 1; i <= count; i++) {
      if (i === at) await fault();
      const message = { roomId, body: `m${i}`, clientId: randomUUID() };
      for (let tries = 0; ; tries++) {
        try {
          await api.messages.send.mutate(message);
          break;
        } catch (error) {
          if (tries > 100) throw error;
          retries += 1;
          await sleep(100);
        }
      }
      acknowledged.push(message.body);
      await sleep(20);
    }
    return { acknowledged, retries };
  }

  async function expectAllOnce(received: string[], sent: string[]): Promise<void> {
    await until(() => received.length >= sent.length, 20_000);
    await sleep(300);
    expect(received).toEqual(sent);
  }

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`loses and repeats nothing when the receiver's instance is stopped with ${signal} and it moves to another`, async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-fault-'));
      const b = startProcess({ ...env, INSTANCE_ID: `b-${signal}`, DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: '1000' });
      try {
        const bPort = await b.listening;
        const room = await httpClient(a, { accessToken: ann.accessToken }).rooms.createGroup.mutate({ name: signal, memberIds: [bob.user.id] });
        let target = `ws://127.0.0.1:${bPort}/trpc`;
        const stream = receive(() => target);
        await stream.ready;
        // Messages go on while B goes away and its client comes back through A.
        const { acknowledged } = await converse(room.id, 40, 11, () => {
          target = a.wsUrl;
          b.child.kill(signal);
        });
        await b.exited;
        await expectAllOnce(stream.bodies, acknowledged);
        stream.close();
      } finally {
        b.child.kill('SIGKILL');
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }

  it('loses and repeats nothing when the database stalls for 3 s while messages flow', async () => {
    const room = await httpClient(a, { accessToken: ann.accessToken }).rooms.createGroup.mutate({ name: 'Stall', memberIds: [bob.user.id] });
    const stream = receive(() => a.wsUrl);
    await stream.ready;
    const { acknowledged } = await converse(room.id, 30, 11, () => {
      database.stall();
      setTimeout(() => database.resume(), 3_000);
    });
    await expectAllOnce(stream.bodies, acknowledged);
    stream.close();
  });

  it('loses and repeats nothing when Redis is cut for 3 s while messages flow', async () => {
    const room = await httpClient(a, { accessToken: ann.accessToken }).rooms.createGroup.mutate({ name: 'Cache cut', memberIds: [bob.user.id] });
    const stream = receive(() => a.wsUrl);
    await stream.ready;
    const { acknowledged, retries } = await converse(room.id, 30, 11, () => {
      redis.cut();
      setTimeout(() => redis.restore(), 3_000);
    });
    // The cut was felt: sends were refused meanwhile, and sent again.
    expect(retries).toBeGreaterThan(0);
    await expectAllOnce(stream.bodies, acknowledged);
    stream.close();
  });

  /** What a call answered: 'ok', or its appCode and whether it said when to come back. */
  async function answerOf(call: Promise<unknown>): Promise<string> {
    return call.then(
      () => 'ok',
      (error: unknown) => {
        const data = (error as { data?: { appCode?: string; retryAfterMs?: number } }).data;
        return `${data?.appCode}${data?.retryAfterMs ? ' +retryAfterMs' : ''}`;
      },
    );
  }

  for (const [name, cutIt] of [
    ['Redis', () => redis],
    ['PostgreSQL', () => database],
  ] as const) {
    it(`answers SERVICE_UNAVAILABLE with retryAfterMs while ${name} is cut, never UNAUTHORIZED or INTERNAL, and keeps the sign-in`, async () => {
      const room = await httpClient(a, { accessToken: ann.accessToken }).rooms.createGroup.mutate({ name: `${name} cut`, memberIds: [bob.user.id] });
      // A sign-in whose access token this instance has never checked, so nothing is answered from memory.
      const signIn = await httpClient(a).auth.login.mutate({ email: bob.user.email!, password: bob.password, session: 'token' });
      const api = httpClient(a, { accessToken: signIn.accessToken });
      const proxy = cutIt();
      proxy.cut();
      try {
        const answers = {
          refresh: await answerOf(httpClient(a).auth.refresh.mutate({ refreshToken: signIn.refreshToken! })),
          login: await answerOf(httpClient(a).auth.login.mutate({ email: bob.user.email!, password: bob.password })),
          me: await answerOf(api.auth.me.query()),
          send: await answerOf(api.messages.send.mutate({ roomId: room.id, body: 'during the cut', clientId: randomUUID() })),
          search: await answerOf(api.users.search.query({ query: 'Ann' })),
        };
        expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((k) => [k, 'SERVICE_UNAVAILABLE +retryAfterMs'])));
      } finally {
        proxy.restore();
      }
      // The outage signed no one out: the same refresh token still works once the service is back.
      await until(async () => (await answerOf(httpClient(a).auth.refresh.mutate({ refreshToken: signIn.refreshToken! }))) === 'ok', 15_000);
    });
  }
});
