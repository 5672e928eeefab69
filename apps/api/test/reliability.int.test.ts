import { randomUUID } from 'node:crypto';
import type { Session } from '@youngchat/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, httpClient } from './clients.ts';
import { realServicesEnv, startTestServer, type TestServer } from './harness.ts';
import { SERVICES, describeWithServices } from './services.ts';
import { bodies, listen } from './streams.ts';
import { proxyInFrontOf, throughProxy, type TcpProxy } from './tcp-proxy.ts';

/**
 * Faults between two instances that share PostgreSQL, Redis and RabbitMQ. Instance B reaches RabbitMQ through
 * a TCP proxy the test can cut, so the machine's broker is never touched.
 */
await describeWithServices('reliability across instances', ['postgres', 'redis', 'rabbitmq'], () => {
  let a: TestServer;
  let b: TestServer;
  let proxy: TcpProxy;
  let cleanup: () => Promise<void>;
  let ann: Session;
  let bob: Session;

  beforeAll(async () => {
    const real = await realServicesEnv();
    cleanup = real.cleanup;
    proxy = await proxyInFrontOf(SERVICES.rabbitmq);
    const viaProxy = throughProxy(SERVICES.rabbitmq, proxy);
    [a, b] = await Promise.all([
      startTestServer({ ...real.env, INSTANCE_ID: 'a' }),
      startTestServer({ ...real.env, INSTANCE_ID: 'b', AMQP_URL: viaProxy }),
    ]);
    [ann, bob] = await Promise.all([createAccount(a, { nickname: 'Ann' }), createAccount(a, { nickname: 'Bob' })]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    await cleanup?.();
  });

  it('loses nothing when instance B is cut off from RabbitMQ while messages flow', async () => {
    const api = httpClient(a, { accessToken: ann.accessToken });
    const room = await api.rooms.createGroup.mutate({ name: 'Outage', memberIds: [bob.user.id] });
    const stream = listen(b, bob, 'ws');
    await stream.ready;
    const sent: string[] = [];
    for (let i = 1; i <= 40; i++) {
      if (i === 11) proxy.cut();
      if (i === 31) proxy.restore();
      const body = `o${i}`;
      await api.messages.send.mutate({ roomId: room.id, body, clientId: randomUUID() });
      sent.push(body); // acknowledged
      await new Promise((r) => setTimeout(r, 50));
    }
    await stream.until((r) => bodies(r).length >= 40, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(bodies(stream.received)).toEqual(sent);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from messages where room_id = ${room.id}`.execute(a.deps.database.db);
    expect(rows[0]!.n).toBe(40);
    stream.close();
  });

  it('rate-limits the 101st message in a minute, whichever instance it goes through', async () => {
    const cat = await createAccount(a, { nickname: 'Cat' });
    const room = await httpClient(a, { accessToken: cat.accessToken }).rooms.openDirect.mutate({ userId: ann.user.id });
    const via = (server: TestServer) => httpClient(server, { accessToken: cat.accessToken });
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        via(i % 2 ? a : b).messages.send.mutate({ roomId: room.id, body: `r${i}`, clientId: randomUUID() }).then(() => 'ok'),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(100);
    for (const server of [a, b]) {
      const refused = await via(server)
        .messages.send.mutate({ roomId: room.id, body: 'one too many', clientId: randomUUID() })
        .then(() => 'ok', (e: unknown) => (e as { data?: { appCode?: string } }).data?.appCode);
      expect(refused).toBe('RATE_LIMITED');
    }
  });
});
