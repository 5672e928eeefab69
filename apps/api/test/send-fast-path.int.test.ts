// messages.send on a socket while PostgreSQL is unreachable: the fast path (realtime/send-fast-path.ts) must answer
// what tRPC answers — SERVICE_UNAVAILABLE with a time to retry, not INTERNAL — and send again once it is back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, httpClient, rawTrpcSocket, withoutRetryAfter } from './clients.ts';
import { startServerBehindDatabaseProxy, type TestServer } from './harness.ts';
import { describeWithServices } from './services.ts';
import type { TcpProxy } from './tcp-proxy.ts';

await describeWithServices('messages.send on a WebSocket while the database is unreachable', ['postgres', 'redis'], () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ server, proxy, close } = await startServerBehindDatabaseProxy());
  });
  afterAll(() => close?.());

  it('answers SERVICE_UNAVAILABLE with a time to retry, as tRPC does, and sends once it is back', async () => {
    const [ann, bob] = await Promise.all([createAccount(server), createAccount(server)]);
    const { id: roomId } = await httpClient(server, { accessToken: ann.accessToken }).rooms.openDirect.mutate({ userId: bob.user.id });
    const socket = await rawTrpcSocket(server, ann);
    const input = { roomId, body: 'through the outage', clientId: randomUUID() };
    const fastSends = async () => (await server.deps.metrics.wsFastSends.get()).values[0]?.value ?? 0;
    try {
      proxy.cut();
      const before = await fastSends();
      const fast = await socket.call('mutation', 'messages.send', input);
      expect(await fastSends()).toBe(before + 1);
      expect(fast.error?.data).toMatchObject({ appCode: 'SERVICE_UNAVAILABLE', retryAfterMs: expect.any(Number) });
      expect(withoutRetryAfter(await socket.call('mutation', 'messages.send', input, { batch: true }))).toEqual(withoutRetryAfter(fast));
      proxy.restore();
      const sent = await socket.call('mutation', 'messages.send', input);
      expect(sent.result).toMatchObject({ type: 'data', data: { body: 'through the outage', clientId: input.clientId } });
    } finally {
      proxy.restore();
      socket.close();
    }
  }, 60_000);
});
