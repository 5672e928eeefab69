import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@youngchat/api';
import type { ChatEvent, Room } from '@youngchat/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatCache } from './chat.cache.ts';
import { ann, bo, history, message, page, room } from './chat.fixtures.ts';

const m1 = message('r1', 1, bo.id);
const m2 = message('r1', 2, bo.id);
const created = (m = m2): ChatEvent => ({ type: 'message.created', roomId: 'r1', message: m });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A ChatCache over a real QueryClient, with the room list shown on screen and its server under the test's control. */
function setup() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: createTRPCClient<AppRouter>({ links: [] }), queryClient });
  const cache = new ChatCache(queryClient, trpc, ann.id);
  const answers: ReturnType<typeof deferred<Room[]>>[] = [];
  const observer = new QueryObserver(queryClient, {
    queryKey: cache.roomsKey(),
    queryFn: () => {
      answers.push(deferred<Room[]>());
      return answers.at(-1)!.promise;
    },
  });
  const stop = observer.subscribe(() => undefined);
  cleanups.push(() => {
    stop();
    queryClient.clear();
  });
  const rooms = () => queryClient.getQueryData(cache.roomsKey());
  return { queryClient, cache, answers, rooms };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const withLast = (m: typeof m1, unreadCount = 0) => [room('r1', 'direct', [ann, bo], { lastMessage: m, unreadCount })];

describe('ChatCache: cancel, then patch', () => {
  it('patches at once when nothing is on its way', async () => {
    const { queryClient, cache, answers, rooms } = setup();
    answers[0]!.resolve(withLast(m1));
    await vi.waitFor(() => expect(rooms()).toBeDefined());
    queryClient.setQueryData(cache.historyKey('r1'), history(page([m1])) as never);

    void cache.apply([created()]);
    // Before apply's promise settles: a screen reading the cache right after sees the message.
    expect(rooms()![0]!.lastMessage).toEqual(m2);
    expect((queryClient.getQueryData(cache.historyKey('r1')) as ReturnType<typeof history>).pages[0]!.items.map((m) => m.seq)).toEqual([2, 1]);
    expect(answers).toHaveLength(1);
  });

  it('an answer read before the event cannot overwrite it: the fetch is cancelled, and asked again after', async () => {
    const { queryClient, cache, answers, rooms } = setup();
    answers[0]!.resolve(withLast(m1));
    await vi.waitFor(() => expect(rooms()).toBeDefined());

    // A refetch goes out and the server reads the list; the new message happens after that read.
    void queryClient.invalidateQueries({ queryKey: cache.roomsKey() });
    expect(answers).toHaveLength(2);
    const effects = await cache.apply([created()]);
    expect(effects.arrived).toEqual([m2]);
    expect(rooms()![0]!.lastMessage).toEqual(m2);
    expect(rooms()![0]!.unreadCount).toBe(1);

    // The cancelled answer, older than the event, comes back anyway: it is ignored.
    answers[1]!.resolve(withLast(m1));
    await new Promise((r) => setTimeout(r, 10));
    expect(rooms()![0]!.lastMessage).toEqual(m2);

    // …and the list is asked again, from after the event.
    expect(answers).toHaveLength(3);
    answers[2]!.resolve(withLast(m2, 1));
    await vi.waitFor(() => expect(queryClient.getQueryState(cache.roomsKey())?.fetchStatus).toBe('idle'));
    expect(rooms()).toEqual(withLast(m2, 1));
  });

  it('a first load on its way is cancelled too, and loaded again, so it cannot miss the event', async () => {
    const { queryClient, cache, answers, rooms } = setup();
    expect(answers).toHaveLength(1);
    await cache.apply([created()]);
    expect(answers).toHaveLength(2);
    answers[0]!.resolve(withLast(m1));
    answers[1]!.resolve(withLast(m2, 1));
    await vi.waitFor(() => expect(queryClient.getQueryState(cache.roomsKey())?.fetchStatus).toBe('idle'));
    expect(rooms()).toEqual(withLast(m2, 1));
  });

  it('applies events in the order they came, even when the first waits for a cancellation', async () => {
    const { queryClient, cache, answers, rooms } = setup();
    answers[0]!.resolve(withLast(m1));
    await vi.waitFor(() => expect(rooms()).toBeDefined());
    void queryClient.invalidateQueries({ queryKey: cache.roomsKey() });

    // Bo's message, then my read of it: the other way round, it would stay unread.
    const first = cache.apply([created()]);
    const second = cache.apply([{ type: 'room.read', roomId: 'r1', userId: ann.id, seq: 2 }]);
    await Promise.all([first, second]);
    expect(rooms()![0]!.lastMessage).toEqual(m2);
    expect(rooms()![0]!.unreadCount).toBe(0);
  });

  it('leaves fetches alone for events that do not touch the chat data', async () => {
    const { queryClient, cache, answers, rooms } = setup();
    answers[0]!.resolve(withLast(m1));
    await vi.waitFor(() => expect(rooms()).toBeDefined());
    void queryClient.invalidateQueries({ queryKey: cache.roomsKey() });
    await cache.apply([
      { type: 'typing', roomId: 'r1', userId: bo.id },
      { type: 'presence', userId: bo.id, online: true },
    ]);
    expect(answers).toHaveLength(2);
    answers[1]!.resolve(withLast(m2));
    await vi.waitFor(() => expect(rooms()![0]!.lastMessage).toEqual(m2));
  });
});
