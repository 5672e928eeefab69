import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CONNECTION_REPLACED_CLOSE_CODE, SESSION_ENDED_CLOSE_CODE } from '@youngchat/shared';
import { createInProcessEventBus } from '../adapters/embedded/in-process-event-bus.ts';
import { createConnectionRegistry } from './connections.ts';

/** Just enough of a ws socket: records close() and emits 'close' like the real one. */
class FakeSocket extends EventEmitter {
  closedWith: number | undefined;
  close(code: number) {
    this.closedWith ??= code;
    this.emit('close', code);
  }
  get ws() {
    return this as unknown as WebSocket;
  }
}

const claims = (userId: string, ttlMs: number, sessionId = 's') => ({
  userId,
  sessionId,
  jti: 'j',
  expiresAt: new Date(Date.now() + ttlMs),
});

const LIMITS = { perUser: 20, subscriptionsPerSocket: 5 };

describe('connection registry', () => {
  it('closes a socket and ends a held stream when the access token expires, so the client comes back with a fresh one', async () => {
    const registry = createConnectionRegistry(createInProcessEventBus(), LIMITS);
    const socket = new FakeSocket();
    registry.register(socket.ws, claims('u1', 50));
    const stream = registry.hold(claims('u1', 50));
    expect(registry.countFor('u1')).toBe(2);
    await new Promise((r) => setTimeout(r, 120));
    expect(socket.closedWith).toBe(SESSION_ENDED_CLOSE_CODE);
    expect(stream.signal.reason).toBe('token-expired');
    stream.release();
    expect(registry.countFor('u1')).toBe(0);
  });

  it('ends every connection of one sign-in on every registry sharing the bus, and nothing of the others', async () => {
    const bus = createInProcessEventBus();
    const [a, b] = [createConnectionRegistry(bus, LIMITS), createConnectionRegistry(bus, LIMITS)];
    const [thisDeviceOnA, thisDeviceOnB, myPhone, theirs] = [new FakeSocket(), new FakeSocket(), new FakeSocket(), new FakeSocket()];
    a.register(thisDeviceOnA.ws, claims('me', 60_000, 'laptop'));
    b.register(thisDeviceOnB.ws, claims('me', 60_000, 'laptop'));
    const sse = b.hold(claims('me', 60_000, 'laptop'));
    b.register(myPhone.ws, claims('me', 60_000, 'phone'));
    b.register(theirs.ws, claims('them', 60_000, 'theirs'));
    await a.endSessionEverywhere('me', 'laptop');
    await new Promise((r) => setTimeout(r, 10));
    expect([thisDeviceOnA.closedWith, thisDeviceOnB.closedWith, myPhone.closedWith, theirs.closedWith]).toEqual([4401, 4401, undefined, undefined]);
    expect(sse.signal.reason).toBe('session-ended');
    expect(b.countFor('me')).toBe(2); // the phone, and the SSE stream until its handler releases it
    sse.release();
    expect(b.countFor('me')).toBe(1);
  });

  it('lets the oldest of one person’s connections give way past the cap, sockets and streams alike', () => {
    const registry = createConnectionRegistry(createInProcessEventBus(), { ...LIMITS, perUser: 3 });
    const oldest = registry.hold(claims('me', 60_000));
    const sockets = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    for (const socket of sockets) registry.register(socket.ws, claims('me', 60_000));
    expect(oldest.signal.reason).toBe('replaced');
    expect(sockets.map((s) => s.closedWith)).toEqual([undefined, undefined, undefined]);
    registry.register(new FakeSocket().ws, claims('me', 60_000));
    expect(sockets.map((s) => s.closedWith)).toEqual([CONNECTION_REPLACED_CLOSE_CODE, undefined, undefined]);
    expect(registry.countFor('me')).toBe(3);
    // Someone else is not counted with me.
    const theirs = new FakeSocket();
    registry.register(theirs.ws, claims('them', 60_000));
    expect(theirs.closedWith).toBeUndefined();
  });

  it('gives a socket at most its number of subscriptions, and a slot back when one ends', () => {
    const registry = createConnectionRegistry(createInProcessEventBus(), { ...LIMITS, subscriptionsPerSocket: 2 });
    const socket = new FakeSocket().ws;
    const first = registry.subscribe(socket);
    expect(registry.subscribe(socket)).toBeDefined();
    expect(registry.subscribe(socket)).toBeUndefined();
    expect(registry.subscribe(new FakeSocket().ws)).toBeDefined();
    first!();
    first!(); // twice is once
    expect(registry.subscribe(socket)).toBeDefined();
    expect(registry.subscribe(socket)).toBeUndefined();
  });
});
