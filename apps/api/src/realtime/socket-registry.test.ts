import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createInProcessEventBus } from '../adapters/embedded/in-process-event-bus.ts';
import { SESSION_ENDED_CLOSE_CODE } from '@youngchat/shared';
import { createSocketRegistry } from './socket-registry.ts';

/** Just enough of a ws socket: records close() and emits 'close' like the real one. */
class FakeSocket extends EventEmitter {
  closedWith: number | undefined;
  close(code: number) {
    this.closedWith = code;
    this.emit('close', code);
  }
}

const claims = (userId: string, ttlMs: number) => ({
  userId,
  sessionId: 's',
  jti: 'j',
  expiresAt: new Date(Date.now() + ttlMs),
});

describe('socket registry', () => {
  it('closes a socket when its access token expires, so the client reconnects with a fresh one', async () => {
    const registry = createSocketRegistry(createInProcessEventBus());
    const ws = new FakeSocket();
    registry.register(ws as unknown as WebSocket, claims('u1', 50));
    expect(registry.countFor('u1')).toBe(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(ws.closedWith).toBe(SESSION_ENDED_CLOSE_CODE);
    expect(registry.countFor('u1')).toBe(0);
  });

  it('closes only that user’s sockets, on every registry sharing the bus', async () => {
    const bus = createInProcessEventBus();
    const [a, b] = [createSocketRegistry(bus), createSocketRegistry(bus)];
    const [mineOnA, mineOnB, theirs] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    a.register(mineOnA as unknown as WebSocket, claims('me', 60_000));
    b.register(mineOnB as unknown as WebSocket, claims('me', 60_000));
    b.register(theirs as unknown as WebSocket, claims('them', 60_000));
    await a.closeUserEverywhere('me');
    await new Promise((r) => setTimeout(r, 10));
    expect([mineOnA.closedWith, mineOnB.closedWith, theirs.closedWith]).toEqual([4401, 4401, undefined]);
    theirs.close(1000);
  });
});
