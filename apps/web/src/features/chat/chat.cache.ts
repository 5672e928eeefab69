import type { QueryClient } from '@tanstack/react-query';
import { LIMITS, type ChatEvent, type Message, type Room } from '@youngchat/shared';
import { trpc } from '../../lib/trpc.ts';
import { applyToRoom, eventRoomId, noEffects, reduceChat, type Effects, type EventContext } from './chat.events.ts';
import type { History } from './chat.history.ts';

/** Where the chat screens' data lives in the TanStack Query cache, and the reducer run against it. */
export const PAGE_SIZE = LIMITS.history.defaultPage;

export const roomsKey = () => trpc.rooms.list.queryKey();
export const roomKey = (roomId: string) => trpc.rooms.get.queryKey({ roomId });
export const historyKey = (roomId: string) => trpc.messages.list.infiniteQueryKey({ roomId, limit: PAGE_SIZE });

// ---- The room on screen ----

let visibleRoomId: string | null = null;

/** The chat view says which room the person is looking at (null when hidden or closed). */
export function setVisibleRoom(roomId: string | null): void {
  visibleRoomId = roomId;
}

export function eventContext(me: string): EventContext {
  return { me, visibleRoomId, now: new Date().toISOString() };
}

// ---- Applying events ----

function readHistory(queryClient: QueryClient, roomId: string): History | undefined {
  return queryClient.getQueryData(historyKey(roomId)) as History | undefined;
}

// ---- Events that arrive while a fetch is on its way ----

/**
 * A fetch answers with the server's state from when it read it; events applied to the cache in the meantime
 * would be overwritten by that older answer (a message would vanish until the next reload). So the recent ones
 * are kept, and applied again on top of every fetched answer: the reducer is idempotent, so this only restores
 * what the answer missed.
 */
const REPLAY_WINDOW_MS = 30_000;
const REPLAY_MAX = 1_000;
let recent: { at: number; event: ChatEvent }[] = [];

/** Only changes a snapshot might miss: whole-room events (created, updated) are the fetch's to decide. */
function replayable(event: ChatEvent): boolean {
  return event.type.startsWith('message.') || event.type === 'room.read';
}

function remember(events: readonly ChatEvent[], now = Date.now()): void {
  for (const event of events) if (replayable(event)) recent.push({ at: now, event });
  const oldest = recent[0];
  if (oldest && (recent.length > REPLAY_MAX || oldest.at < now - REPLAY_WINDOW_MS)) {
    recent = recent.filter((r) => r.at >= now - REPLAY_WINDOW_MS).slice(-REPLAY_MAX);
  }
}

/** The room a chat query is about (rooms.get, messages.list), or null for the room list. */
function queryRoomId(queryKey: readonly unknown[]): string | null {
  const meta = queryKey[1] as { input?: { roomId?: unknown } } | undefined;
  return typeof meta?.input?.roomId === 'string' ? meta.input.roomId : null;
}

/** Re-applies recent events after each fetched answer to a chat query. Returns the unsubscribe. */
export function replayAfterFetches(queryClient: QueryClient, me: string): () => void {
  const chatPaths = [trpc.rooms.list.pathKey(), trpc.rooms.get.pathKey(), trpc.messages.list.pathKey()].map((k) => JSON.stringify(k[0]));
  return queryClient.getQueryCache().subscribe((change) => {
    if (change.type !== 'updated' || change.action.type !== 'success' || change.action.manual) return;
    if (!chatPaths.includes(JSON.stringify(change.query.queryKey[0]))) return;
    const roomId = queryRoomId(change.query.queryKey);
    const since = Date.now() - REPLAY_WINDOW_MS;
    const events = recent.filter((r) => r.at >= since && (!roomId || eventRoomId(r.event) === roomId)).map((r) => r.event);
    if (events.length === 0) return;
    // After the cache has finished telling everyone about the answer.
    queueMicrotask(() => applyEvents(queryClient, events, eventContext(me), { replay: true }));
  });
}

export function forgetRecentEvents(): void {
  recent = [];
}

/**
 * Runs events through the reducer against the cached room list, the room's details and its loaded history, and
 * asks the server again for what the events cannot tell. Screens re-render from the cache as usual.
 *
 * `replay`: the events were applied before and are only being restored on top of a fetched answer, so nothing is
 * fetched again because of them (that answer is the freshest there is) and nobody is notified twice.
 */
export function applyEvents(
  queryClient: QueryClient,
  events: readonly ChatEvent[],
  ctx: EventContext,
  { replay = false }: { replay?: boolean } = {},
): Effects {
  if (!replay) remember(events);
  const effects = noEffects();
  for (const event of events) {
    const roomId = eventRoomId(event);
    const rooms = queryClient.getQueryData(roomsKey());
    const history = roomId ? readHistory(queryClient, roomId) : undefined;
    const next = reduceChat({ rooms, histories: roomId && history ? { [roomId]: history } : {} }, event, ctx, effects);
    if (next.rooms && next.rooms !== rooms) queryClient.setQueryData(roomsKey(), next.rooms);
    const nextHistory = roomId ? next.histories[roomId] : undefined;
    if (roomId && nextHistory && nextHistory !== history) {
      queryClient.setQueryData(historyKey(roomId), nextHistory as never);
    }
    const detail = roomId ? queryClient.getQueryData(roomKey(roomId)) : undefined;
    if (roomId && detail) {
      const { room } = applyToRoom(detail, event, ctx);
      if (!room) void queryClient.invalidateQueries({ queryKey: roomKey(roomId) });
      else if (room !== detail) queryClient.setQueryData(roomKey(roomId), room);
    }
  }
  if (replay) return noEffects();
  if (effects.refetchRooms) void queryClient.invalidateQueries({ queryKey: roomsKey() });
  if (effects.refetchHistories === 'all') refetchShown(queryClient);
  else for (const roomId of effects.refetchHistories) void queryClient.invalidateQueries({ queryKey: historyKey(roomId) });
  return effects;
}

/** After a gap (resync, or a stream that started without a position): the server's word on everything shown. */
export function refetchShown(queryClient: QueryClient): void {
  void queryClient.invalidateQueries(trpc.rooms.list.pathFilter());
  void queryClient.invalidateQueries(trpc.rooms.get.pathFilter());
  void queryClient.invalidateQueries(trpc.messages.list.pathFilter());
}

/** My own change confirmed by the server (send, edit, delete): shown at once, whether or not its event comes. */
export function applyMine(queryClient: QueryClient, message: Message, me: string): void {
  const type = message.editedAt || message.deletedAt ? 'message.updated' : 'message.created';
  applyEvents(queryClient, [{ type, roomId: message.roomId, message }], eventContext(me));
}

/** A change of mine to anyone's message (a reaction) confirmed by the server: the same as its event. */
export function applyChanged(queryClient: QueryClient, message: Message, me: string): void {
  applyEvents(queryClient, [{ type: 'message.updated', roomId: message.roomId, message }], eventContext(me));
}

/** A room I opened, created or changed: into the list and its own entry. */
export function applyRoom(queryClient: QueryClient, room: Room, me: string): void {
  queryClient.setQueryData(roomKey(room.id), room);
  applyEvents(queryClient, [{ type: 'room.updated', room }], eventContext(me));
}

/** A room I left: out of the list, its history forgotten. */
export function forgetRoom(queryClient: QueryClient, roomId: string): void {
  queryClient.setQueryData(roomsKey(), (rooms) => rooms?.filter((r) => r.id !== roomId));
  queryClient.removeQueries({ queryKey: roomKey(roomId) });
  queryClient.removeQueries({ queryKey: historyKey(roomId) });
}
