// messages.send on a socket is answered by realtime/send-fast-path.ts, not by tRPC: the frames must be tRPC's own.
// A batch (a JSON array) is always left to tRPC, so the same call sent both ways shows what each answers.
import { randomUUID } from 'node:crypto';
import type { Session } from '@youngchat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, httpClient, rawTrpcSocket, withoutRetryAfter } from './clients.ts';
import { startTestServer, type TestServer } from './harness.ts';

describe('messages.send on a WebSocket, answered without tRPC’s per-call machinery', () => {
  let server: TestServer;
  let ann: Session;
  let bob: Session;
  let roomId: string;
  let socket: Awaited<ReturnType<typeof rawTrpcSocket>>;
  const fastSends = async () => (await server.deps.metrics.wsFastSends.get()).values[0]?.value ?? 0;
  /** Sends the fast path answered, as its latency histogram counts them. */
  const timedSends = async () =>
    (await server.deps.metrics.wsSendSeconds.get()).values.find((v) => v.metricName === 'ws_send_seconds_count')?.value ?? 0;

  beforeAll(async () => {
    server = await startTestServer({ MESSAGES_PER_MINUTE: '4' });
    [ann, bob] = await Promise.all([createAccount(server), createAccount(server)]);
    roomId = (await httpClient(server, { accessToken: ann.accessToken }).rooms.openDirect.mutate({ userId: bob.user.id })).id;
    socket = await rawTrpcSocket(server, ann);
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await server?.close();
  });

  it('answers a send, and its retry, with the frame tRPC sends for it', async () => {
    const input = { roomId, body: 'hello', clientId: randomUUID() };
    const [before, timedBefore] = [await fastSends(), await timedSends()];
    const fast = await socket.call('mutation', 'messages.send', input, { jsonrpc: '2.0' });
    expect(await fastSends()).toBe(before + 1);
    expect(await timedSends()).toBe(timedBefore + 1);
    // The retry (same clientId) returns the same message: tRPC's frame for it must be the same bytes' worth.
    expect(await socket.call('mutation', 'messages.send', input, { batch: true, jsonrpc: '2.0' })).toEqual(fast);
    expect(fast).toMatchObject({ jsonrpc: '2.0', result: { type: 'data', data: { body: 'hello', roomId, senderId: ann.user.id } } });
    expect(await fastSends()).toBe(before + 1);
  });

  it('leaves bad input to tRPC, and answers a refused send as tRPC does', async () => {
    const before = await fastSends();
    expect((await socket.call('mutation', 'messages.send', { roomId, body: '' })).error?.data?.appCode).toBe('BAD_INPUT');
    expect(await fastSends()).toBe(before);

    const stranger = { roomId: randomUUID(), body: 'anyone?', clientId: randomUUID() };
    const fast = await socket.call('mutation', 'messages.send', stranger);
    expect(await fastSends()).toBe(before + 1);
    expect(fast.error?.data?.appCode).toBeTruthy();
    expect(await socket.call('mutation', 'messages.send', { ...stranger, clientId: randomUUID() }, { batch: true })).toEqual(fast);
  });

  it('answers the sender’s rate limit as tRPC does, with when to try again', async () => {
    const sendOnce = (batch: boolean) => socket.call('mutation', 'messages.send', { roomId, body: 'again', clientId: randomUUID() }, { batch });
    const before = await fastSends();
    let fast = await sendOnce(false);
    for (let i = 0; i < 10 && !fast.error; i++) fast = await sendOnce(false);
    expect(await fastSends()).toBeGreaterThan(before);
    const viaTrpc = await sendOnce(true);
    expect(fast.error?.data?.appCode).toBe('RATE_LIMITED');
    expect(fast.error?.data?.retryAfterMs).toEqual(expect.any(Number));
    expect(withoutRetryAfter(viaTrpc)).toEqual(withoutRetryAfter(fast));
  });
});
