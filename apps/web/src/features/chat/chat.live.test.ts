import type { ChatEvent } from '@youngchat/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SocketSnapshot } from '../../lib/trpc.ts';
import { CATCH_UP_IDLE_MS, LiveFeed, POLL_AFTER_MS, unwrap, type LivePorts, type PollAnswer } from './chat.live.ts';

const typing = (userId: string): ChatEvent => ({ type: 'typing', roomId: 'r', userId });
const read = (seq: number): ChatEvent => ({ type: 'room.read', roomId: 'r', userId: 'u', seq });
const presence = (userId: string, online = true): ChatEvent => ({ type: 'presence', userId, online });

/** A socket, a stream and a poll endpoint under the test's control. */
function harness() {
  let socket: SocketSnapshot = { state: 'connecting', error: null, failedAttempts: 0, closedOnPurpose: false, openedElsewhere: false };
  const socketListeners = new Set<() => void>();
  const streams: { input: { lastEventId: string | null }; handlers: Parameters<LivePorts['subscribe']>[1]; closed: boolean }[] = [];
  const polls: { input: { after: string | null; waitMs: number }; resolve: (a: PollAnswer) => void; reject: (e: unknown) => void; signal: AbortSignal }[] = [];
  const delivered: ChatEvent[] = [];
  /** How many events had been delivered at each start: what came after a start belongs to that stream. */
  const starts: number[] = [];
  let refetches = 0;
  let backUps = 0;
  let gaveWay = 0;
  const ports: LivePorts = {
    socket: {
      get: () => socket,
      subscribe: (l) => {
        socketListeners.add(l);
        return () => socketListeners.delete(l);
      },
    },
    online: () => true,
    subscribe: (input, handlers) => {
      const stream = { input, handlers, closed: false };
      streams.push(stream);
      return { unsubscribe: () => void (stream.closed = true) };
    },
    poll: (input, signal) =>
      new Promise<PollAnswer>((resolve, reject) => {
        polls.push({ input, resolve, reject, signal });
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
    deliver: (events) => delivered.push(...events),
    refetchAll: () => void refetches++,
    started: () => void starts.push(delivered.length),
    backUp: () => void backUps++,
    // As trpc.ts does: the socket closes for good and says why.
    giveWay: () => {
      gaveWay++;
      setSocket({ state: 'idle', error: null, openedElsewhere: true });
    },
  };
  const setSocket = (next: Partial<SocketSnapshot>) => {
    socket = { ...socket, ...next };
    for (const l of socketListeners) l();
  };
  return { ports, setSocket, streams, polls, delivered, starts, refetches: () => refetches, backUps: () => backUps, gaveWay: () => gaveWay };
}

describe('LiveFeed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connecting → catching up while the replay bursts in → up to date once it is quiet', () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    expect(feed.status).toBe('connecting');
    h.setSocket({ state: 'pending' });
    expect(feed.status).toBe('connecting'); // the socket is open, the stream not yet
    h.streams[0]!.handlers.onStarted();
    expect(feed.status).toBe('catching-up');
    expect(h.refetches()).toBe(1); // started "from now": what is on screen is reloaded once

    h.streams[0]!.handlers.onData({ id: '5', data: read(5) });
    vi.advanceTimersByTime(CATCH_UP_IDLE_MS - 1);
    h.streams[0]!.handlers.onData({ id: '6', data: read(6) });
    vi.advanceTimersByTime(CATCH_UP_IDLE_MS - 1);
    expect(feed.status).toBe('catching-up');
    vi.advanceTimersByTime(1);
    expect(feed.status).toBe('up-to-date');
    expect(h.delivered).toEqual([read(5), read(6)]);

    // Dropped: offline while retrying; the stream resumes by itself and catches up again.
    h.setSocket({ state: 'connecting', error: new Error('closed'), failedAttempts: 1 });
    expect(feed.status).toBe('offline');
    h.setSocket({ state: 'pending', error: null, failedAttempts: 0 });
    h.streams[0]!.handlers.onStarted();
    expect(feed.status).toBe('catching-up');
    expect(h.refetches()).toBe(1); // it had a position: the server replays, nothing to reload
    feed.stop();
  });

  it('falls back to long polling after three failed socket attempts, from the last position, and back when the socket works', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    h.setSocket({ state: 'pending' });
    h.streams[0]!.handlers.onStarted();
    h.streams[0]!.handlers.onData({ id: '41', data: read(41) });

    for (const failedAttempts of [1, 1, 2]) h.setSocket({ state: 'connecting', error: new Error('failed'), failedAttempts });
    expect(feed.via).toBe('websocket');
    expect(feed.status).toBe('offline');
    expect(h.polls).toHaveLength(0);
    h.setSocket({ state: 'connecting', error: new Error('failed'), failedAttempts: 3 });
    expect(feed.via).toBe('polling');
    expect(h.streams[0]!.closed).toBe(true);
    expect(h.polls[0]!.input).toEqual({ after: '41', waitMs: 25_000 });
    expect(feed.status).toBe('connecting');

    // Events since 41 come back at once: catching up; each answer ends with who is online, in full, so it starts
    // the set afresh. The next poll hangs: up to date.
    h.polls[0]!.resolve({
      events: [{ id: '42', event: read(42) }, { id: null, event: typing('bo') }, { id: null, event: presence('bo') }],
      cursor: '42',
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.delivered.slice(-3)).toEqual([read(42), typing('bo'), presence('bo')]);
    expect(h.starts.at(-1)).toBe(h.delivered.length - 3);
    expect(feed.status).toBe('catching-up');
    expect(h.polls[1]!.input.after).toBe('42');
    await vi.advanceTimersByTimeAsync(CATCH_UP_IDLE_MS);
    expect(feed.status).toBe('up-to-date');

    // The socket gets through again: polling stops, the stream resumes from the poll's position.
    h.setSocket({ state: 'pending', error: null, failedAttempts: 0 });
    expect(feed.via).toBe('websocket');
    expect(h.polls[1]!.signal.aborted).toBe(true);
    expect(h.streams.at(-1)!.input).toEqual({ lastEventId: '42' });
    h.streams.at(-1)!.handlers.onStarted();
    expect(h.refetches()).toBe(1); // only the very first start had no position
    feed.stop();
  });

  it('polls when the socket never opens at all, and reloads what is shown when it had no position yet', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    await vi.advanceTimersByTimeAsync(POLL_AFTER_MS);
    expect(feed.via).toBe('polling');
    expect(h.polls[0]!.input).toEqual({ after: null, waitMs: 0 }); // where is "now"?
    h.polls[0]!.resolve({ events: [], cursor: '7' });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.refetches()).toBe(1);
    expect(h.polls[1]!.input).toEqual({ after: '7', waitMs: 25_000 });
    feed.stop();
  });

  it('a failing poll says offline and tries again later, keeping its position', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    await vi.advanceTimersByTimeAsync(POLL_AFTER_MS);
    h.polls[0]!.resolve({ events: [], cursor: '3' });
    await vi.advanceTimersByTimeAsync(0);
    h.polls[1]!.reject(new Error('network'));
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.status).toBe('offline');
    expect(h.polls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.polls[2]!.input.after).toBe('3');
    feed.stop();
  });

  it('a poll ended for a newer connection of the same person is "elsewhere": no more polls, and the socket stops too', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    await vi.advanceTimersByTimeAsync(POLL_AFTER_MS);
    h.polls[0]!.resolve({ events: [], cursor: '3' });
    await vi.advanceTimersByTimeAsync(0);
    h.polls[1]!.reject({ message: 'gave way', data: { appCode: 'TOO_MANY_CONNECTIONS' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.status).toBe('elsewhere');
    expect(h.gaveWay()).toBe(1);
    await vi.advanceTimersByTimeAsync(POLL_AFTER_MS * 4);
    expect(h.polls).toHaveLength(2);
    expect(h.streams.filter((s) => !s.closed)).toHaveLength(0);
    expect(feed.status).toBe('elsewhere');
    feed.stop();
  });

  it('says when it is up to date again after being down (and the first time), not after each catch-up', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    h.setSocket({ state: 'pending' });
    h.streams[0]!.handlers.onStarted();
    vi.advanceTimersByTime(CATCH_UP_IDLE_MS);
    expect(h.backUps()).toBe(1);

    // Polling: each answer with events is a catch-up, not an outage.
    for (const failedAttempts of [1, 2, 3]) h.setSocket({ state: 'connecting', error: new Error('failed'), failedAttempts });
    expect(feed.status).toBe('connecting');
    h.polls[0]!.resolve({ events: [{ id: '2', event: read(2) }], cursor: '2' });
    await vi.advanceTimersByTimeAsync(CATCH_UP_IDLE_MS);
    expect(feed.status).toBe('up-to-date');
    expect(h.backUps()).toBe(2); // back after "connecting"
    h.polls[1]!.resolve({ events: [{ id: '3', event: read(3) }], cursor: '3' });
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.status).toBe('catching-up');
    await vi.advanceTimersByTimeAsync(CATCH_UP_IDLE_MS);
    expect(feed.status).toBe('up-to-date');
    expect(h.backUps()).toBe(2);

    // A failed poll is an outage: what failed during it may go once the next answer comes.
    h.polls[2]!.reject(new Error('network'));
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.status).toBe('offline');
    await vi.advanceTimersByTimeAsync(1000);
    h.polls[3]!.resolve({ events: [], cursor: '3' });
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.status).toBe('up-to-date');
    expect(h.backUps()).toBe(3);
    feed.stop();
  });

  it('a socket we closed on purpose (sign-in, sign-out) reads as connecting, not offline', () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    h.setSocket({ state: 'connecting', error: new Error('closed'), closedOnPurpose: true });
    expect(feed.via).toBe('websocket');
    expect(feed.status).toBe('connecting');
    feed.stop();
  });

  it('once the app is open elsewhere, says so and neither resubscribes nor polls (each would push out that window)', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    h.setSocket({ state: 'pending' });
    h.streams[0]!.handlers.onStarted();
    vi.advanceTimersByTime(CATCH_UP_IDLE_MS);
    expect(feed.status).toBe('up-to-date');

    // As trpc.ts reports a 4409 close: "elsewhere" first, then wsClient.close() ends the stream and goes idle.
    h.setSocket({ openedElsewhere: true });
    expect(feed.status).toBe('elsewhere');
    h.streams[0]!.handlers.onComplete();
    h.setSocket({ state: 'connecting', error: new Error('closed'), failedAttempts: 1 });
    h.setSocket({ state: 'idle', error: null, failedAttempts: 3 });
    await vi.advanceTimersByTimeAsync(POLL_AFTER_MS * 2);
    expect(h.streams).toHaveLength(1);
    expect(h.polls).toHaveLength(0);
    expect(feed.via).toBe('websocket');
    expect(feed.status).toBe('elsewhere');
    feed.stop();
  });

  it('a stream that ends for any other reason is started again', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    h.setSocket({ state: 'pending' });
    h.streams[0]!.handlers.onStarted();
    h.streams[0]!.handlers.onComplete();
    expect(feed.status).toBe('offline');
    await vi.advanceTimersByTimeAsync(POLL_AFTER_MS);
    expect(h.streams).toHaveLength(2);
    feed.stop();
  });

  it('the browser going offline says offline at once', () => {
    const h = harness();
    let online = true;
    const feed = new LiveFeed({ ...h.ports, online: () => online });
    feed.start();
    h.setSocket({ state: 'pending' });
    h.streams[0]!.handlers.onStarted();
    vi.advanceTimersByTime(CATCH_UP_IDLE_MS);
    expect(feed.status).toBe('up-to-date');
    online = false;
    feed.refresh();
    expect(feed.status).toBe('offline');
    feed.stop();
  });

  it('each (re)started socket stream says so before its burst of who is online', () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    h.setSocket({ state: 'pending' });
    h.streams[0]!.handlers.onStarted();
    h.streams[0]!.handlers.onData(presence('bo'));
    expect(h.starts).toEqual([0]);

    // wsClient re-sends the subscription after a reconnect: the same stream object starts again.
    h.setSocket({ state: 'connecting', error: new Error('closed'), failedAttempts: 1 });
    h.setSocket({ state: 'pending', error: null, failedAttempts: 0 });
    h.streams[0]!.handlers.onStarted();
    h.streams[0]!.handlers.onData(presence('cy'));
    expect(h.starts).toEqual([0, 1]);
    expect(h.delivered).toEqual([presence('bo'), presence('cy')]);
    feed.stop();
  });

  it('every poll answer starts the set of who is online afresh', async () => {
    const h = harness();
    const feed = new LiveFeed(h.ports);
    feed.start();
    await vi.advanceTimersByTimeAsync(POLL_AFTER_MS);
    expect(h.polls[0]!.input).toEqual({ after: null, waitMs: 0 });
    h.polls[0]!.resolve({ events: [{ id: null, event: presence('bo') }], cursor: '7' });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.starts).toEqual([0]);
    expect(h.delivered).toEqual([presence('bo')]);
    expect(h.polls[1]!.input).toEqual({ after: '7', waitMs: 25_000 });
    h.polls[1]!.resolve({ events: [{ id: null, event: presence('cy') }], cursor: '7' });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.starts).toEqual([0, 1]);
    expect(feed.status).toBe('up-to-date'); // who is online alone is nothing to catch up on
    feed.stop();
  });
});

describe('unwrap', () => {
  it('reads tracked and untracked values, and ignores anything else', () => {
    expect(unwrap({ id: '9', data: read(9) })).toEqual({ id: '9', event: read(9) });
    expect(unwrap(typing('bo'))).toEqual({ id: null, event: typing('bo') });
    expect(unwrap({ id: '1', data: 'nope' })).toBeNull();
    expect(unwrap(null)).toBeNull();
  });
});
