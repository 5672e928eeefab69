import { hashKey, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@youngchat/api';
import { LIMITS, type ChatEvent, type Message, type Room } from '@youngchat/shared';
import { applyToRoom, eventRoomId, noEffects, reduceChat, type Effects } from './chat.events.ts';
import type { History } from './chat.history.ts';

export const PAGE_SIZE = LIMITS.history.defaultPage;

/**
 * Where the chat screens' data lives in the TanStack Query cache, and the reducer run against it. One per
 * signed-in person (see chat.session.ts).
 *
 * Cancel, then patch: a fetch on its way answers with the server's state from when it read it, which may be older
 * than an event that arrives meanwhile, and would overwrite the patched cache (a message would vanish until the
 * next reload). So an event first cancels the fetches of the queries it touches (each goes back to what it held
 * before), is applied, and those queries are fetched again, now from after the event.
 */
export class ChatCache {
  /** The room on screen while the person can see it: what arrives there is read, not unread. */
  visibleRoomId: string | null = null;
  /** Batches waiting for a cancellation. Later ones wait behind them, so events are applied in the order they came. */
  private waiting = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly queryClient: QueryClient,
    private readonly trpc: TRPCOptionsProxy<AppRouter>,
    readonly me: string,
  ) {}

  roomsKey() {
    return this.trpc.rooms.list.queryKey();
  }

  roomKey(roomId: string) {
    return this.trpc.rooms.get.queryKey({ roomId });
  }

  historyKey(roomId: string) {
    return this.trpc.messages.list.infiniteQueryKey({ roomId, limit: PAGE_SIZE });
  }

  /** A room as the list, or else its own entry, knows it. */
  room(roomId: string): Room | undefined {
    return this.queryClient.getQueryData(this.roomsKey())?.find((r) => r.id === roomId) ?? this.queryClient.getQueryData(this.roomKey(roomId));
  }

  /**
   * Runs events through the reducer against the cached room list, the room's details and its loaded history, and
   * asks the server again for what the events cannot tell. Screens re-render from the cache as usual. With no fetch
   * to cancel this happens at once, before apply returns; the promise says what the events brought either way.
   */
  apply(events: readonly ChatEvent[]): Promise<Effects> {
    const keys = [...new Map(events.flatMap((e) => this.keysOf(e)).map((k) => [hashKey(k), k])).values()];
    if (this.waiting === 0 && this.inFlight(keys).length === 0) return Promise.resolve(this.patch(events, []));
    this.waiting++;
    const done = this.queue.then(async () => {
      try {
        return this.patch(events, await this.cancel(keys));
      } finally {
        this.waiting--;
      }
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** The queries an event may change; typing and presence live elsewhere, a resync only refetches. */
  private keysOf(event: ChatEvent): QueryKey[] {
    const roomId = eventRoomId(event);
    if (!roomId || event.type === 'typing') return [];
    return [this.roomsKey(), this.roomKey(roomId), this.historyKey(roomId)];
  }

  private inFlight(keys: readonly QueryKey[]): QueryKey[] {
    return keys.filter((queryKey) => (this.queryClient.getQueryState(queryKey)?.fetchStatus ?? 'idle') !== 'idle');
  }

  /** Cancels what is on its way for these queries (a paused fetch too), and says which, to fetch them again. */
  private async cancel(keys: readonly QueryKey[]): Promise<QueryKey[]> {
    const cancelled: QueryKey[] = [];
    for (let busy = this.inFlight(keys); busy.length; busy = this.inFlight(keys)) {
      cancelled.push(...busy);
      await Promise.all(busy.map((queryKey) => this.queryClient.cancelQueries({ queryKey, exact: true })));
    }
    return cancelled;
  }

  private patch(events: readonly ChatEvent[], cancelled: readonly QueryKey[]): Effects {
    const { queryClient } = this;
    const ctx = { me: this.me, visibleRoomId: this.visibleRoomId, now: new Date().toISOString() };
    const effects = noEffects();
    for (const event of events) {
      const roomId = eventRoomId(event);
      const rooms = queryClient.getQueryData(this.roomsKey());
      const history = roomId ? (queryClient.getQueryData(this.historyKey(roomId)) as History | undefined) : undefined;
      const next = reduceChat({ rooms, histories: roomId && history ? { [roomId]: history } : {} }, event, ctx, effects);
      if (next.rooms && next.rooms !== rooms) queryClient.setQueryData(this.roomsKey(), next.rooms);
      const nextHistory = roomId ? next.histories[roomId] : undefined;
      if (roomId && nextHistory && nextHistory !== history) queryClient.setQueryData(this.historyKey(roomId), nextHistory as never);
      const detail = roomId ? queryClient.getQueryData(this.roomKey(roomId)) : undefined;
      if (roomId && detail) {
        const { room } = applyToRoom(detail, event, ctx);
        if (!room) void queryClient.invalidateQueries({ queryKey: this.roomKey(roomId) });
        else if (room !== detail) queryClient.setQueryData(this.roomKey(roomId), room);
      }
    }
    // What the cancelled fetches were for is asked again, from after these events.
    for (const queryKey of cancelled) void queryClient.invalidateQueries({ queryKey, exact: true });
    if (effects.refetchRooms) void queryClient.invalidateQueries({ queryKey: this.roomsKey() });
    if (effects.refetchHistories === 'all') this.refetchShown();
    else for (const roomId of effects.refetchHistories) void queryClient.invalidateQueries({ queryKey: this.historyKey(roomId) });
    return effects;
  }

  /** After a gap (resync, or a stream that started without a position): the server's word on everything shown. */
  refetchShown(): void {
    void this.queryClient.invalidateQueries(this.trpc.rooms.list.pathFilter());
    void this.queryClient.invalidateQueries(this.trpc.rooms.get.pathFilter());
    void this.queryClient.invalidateQueries(this.trpc.messages.list.pathFilter());
  }

  /** My own change confirmed by the server (send, edit, delete): shown at once, whether or not its event comes. */
  async applyMine(message: Message): Promise<void> {
    const type = message.editedAt || message.deletedAt ? 'message.updated' : 'message.created';
    await this.apply([{ type, roomId: message.roomId, message }]);
  }

  /** A change of mine to anyone's message (a reaction) confirmed by the server: the same as its event. */
  async applyChanged(message: Message): Promise<void> {
    await this.apply([{ type: 'message.updated', roomId: message.roomId, message }]);
  }

  /** A room I opened, created or changed: into its own entry at once (the screen opening it reads that), and the list. */
  async applyRoom(room: Room): Promise<void> {
    this.queryClient.setQueryData(this.roomKey(room.id), room);
    await this.apply([{ type: 'room.updated', room }]);
  }

  /** A room I left: out of the list, its history forgotten. */
  forgetRoom(roomId: string): void {
    this.queryClient.setQueryData(this.roomsKey(), (rooms) => rooms?.filter((r) => r.id !== roomId));
    this.queryClient.removeQueries({ queryKey: this.roomKey(roomId) });
    this.queryClient.removeQueries({ queryKey: this.historyKey(roomId) });
  }
}
