import type { ChatEvent } from '@youngchat/shared';
import type { Logger } from 'pino';
import type { Db } from '../../ports/database.ts';
import type { EventHub, HubItem } from '../../realtime/event-hub.ts';
import type { Presence } from '../../realtime/presence.ts';
import { contactsOf } from '../rooms/rooms.repository.ts';
import { currentPosition, eventsAfter } from './events.repository.ts';

/** Replayed from the database in pages of this size. */
const PAGE = 500;
/** More missed events than this: tell the client to resync rather than replay them all. */
const MAX_REPLAY = 5_000;

export interface StreamItem {
  /** The position, for durable events; ephemeral events have none. */
  id: string | null;
  event: ChatEvent;
}

const RESYNC: StreamItem = { id: null, event: { type: 'resync' } };

/** Pending hub items for one reader, and a way to wait for the next. */
function inbox(hub: EventHub, userId: string) {
  const items: HubItem[] = [];
  let wake: (() => void) | undefined;
  const stop = hub.listen(userId, (item) => {
    items.push(item);
    wake?.();
  });
  return {
    items,
    stop,
    next(signal: AbortSignal | undefined, timeoutMs = Infinity): Promise<void> {
      if (items.length > 0 || signal?.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        };
        const timer = Number.isFinite(timeoutMs) ? setTimeout(done, timeoutMs) : undefined;
        signal?.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
  };
}

export interface EventsServiceDeps {
  db: Db;
  hub: EventHub;
  presence: Presence;
  logger: Logger;
}

export function createEventsService({ db, hub, presence, logger }: EventsServiceDeps) {
  // Every instance learns of every presence change and tells its own subscribers who share a room with that person
  // (delivery skips contacts with no subscriber here).
  presence.onChange((userId) => {
    contactsOf(db, userId)
      // The state is read at delivery, so of two quick changes whichever lands last carries the current one.
      .then((contacts) => hub.deliverLocal(contacts, { type: 'presence', userId, online: presence.isOnline(userId) }))
      .catch((error: unknown) => logger.warn({ err: error }, 'presence not delivered'));
  });

  /** Who of the user's contacts is online now; anyone not named is offline. */
  async function onlineContacts(userId: string): Promise<StreamItem[]> {
    const online = (await contactsOf(db, userId)).filter((id) => presence.isOnline(id));
    return online.map((id) => ({ id: null, event: { type: 'presence', userId: id, online: true } }));
  }

  /**
   * The latest position, and whether everything after `last` can be replayed: not when the client is too far
   * behind, behind the retention window (pruned), or at a position we never gave out (another account's, a restored
   * backup). Those resync instead.
   */
  async function replayFrom(userId: string, last: number): Promise<{ latest: number; replayable: boolean }> {
    const latest = await currentPosition(db, userId);
    if (last > latest || latest - last > MAX_REPLAY) return { latest, replayable: false };
    if (last === latest) return { latest, replayable: true };
    const [next] = await eventsAfter(db, userId, last, 1);
    return { latest, replayable: next?.pos === last + 1 };
  }

  return {
    /**
     * One user's stream: listen first, then who is online, then replay from the database after `lastEventId`,
     * then live events, dropping any the replay already delivered. A position that skips ahead means a live event
     * was lost on the way: replay again from the database, which has it.
     */
    async *live(userId: string, lastEventId: string | null | undefined, signal: AbortSignal | undefined): AsyncGenerator<StreamItem> {
      const box = inbox(hub, userId);
      const release = presence.hold(userId);
      try {
        // "From now" is as early as possible: before anything else this stream does.
        let last = lastEventId == null ? await currentPosition(db, userId) : Number(lastEventId);

        // Someone new in a room may already be online: say so, once, as the room arrives.
        const shownOnline = new Set<string>();
        function* withPresence(item: StreamItem): Generator<StreamItem> {
          yield item;
          const { event } = item;
          if (event.type === 'presence') {
            if (event.online) shownOnline.add(event.userId);
            else shownOnline.delete(event.userId);
          } else if (event.type === 'room.created' || event.type === 'room.updated') {
            for (const { id } of event.room.members) {
              if (id === userId || shownOnline.has(id) || !presence.isOnline(id)) continue;
              shownOnline.add(id);
              yield { id: null, event: { type: 'presence', userId: id, online: true } };
            }
          }
        }

        async function* replay(): AsyncGenerator<StreamItem> {
          const { latest, replayable } = await replayFrom(userId, last);
          if (!replayable) {
            last = latest;
            yield RESYNC;
            return;
          }
          for (;;) {
            const page = await eventsAfter(db, userId, last, PAGE);
            for (const stored of page) {
              last = stored.pos;
              yield* withPresence({ id: String(stored.pos), event: stored.event });
            }
            if (page.length < PAGE) return;
          }
        }

        for (const item of await onlineContacts(userId)) yield* withPresence(item);
        yield* replay();
        while (!signal?.aborted) {
          await box.next(signal);
          const item = box.items.shift();
          if (!item) continue;
          if (item.kind === 'gap') yield* replay();
          else if (item.kind === 'ephemeral') yield* withPresence({ id: null, event: item.event });
          else if (item.pos === last + 1) {
            last = item.pos;
            yield* withPresence({ id: String(item.pos), event: item.event });
          } else if (item.pos > last + 1) yield* replay();
          // item.pos <= last: already delivered by a replay
        }
      } finally {
        release();
        box.stop();
      }
    },

    /**
     * Long-polling: what is stored after `after`, waiting up to `waitMs` for something to arrive (an event or a
     * change in who is online). Every answer ends with who is online now, complete: a poller cannot hear changes
     * between its polls, so it replaces what it knew.
     */
    async poll(
      userId: string,
      input: { after?: string | null; waitMs: number },
      signal: AbortSignal | undefined,
    ): Promise<{ events: StreamItem[]; cursor: string }> {
      const box = inbox(hub, userId);
      presence.touch(userId);
      try {
        if (input.after != null) {
          const { latest, replayable } = await replayFrom(userId, Number(input.after));
          if (!replayable) return { events: [RESYNC, ...(await onlineContacts(userId))], cursor: String(latest) };
        }
        const after = input.after == null ? await currentPosition(db, userId) : Number(input.after);
        let stored = await eventsAfter(db, userId, after, PAGE);
        const typing: StreamItem[] = [];
        if (stored.length === 0 && input.waitMs > 0) {
          await box.next(signal, input.waitMs);
          for (const item of box.items) if (item.kind === 'ephemeral' && item.event.type === 'typing') typing.push({ id: null, event: item.event });
          stored = await eventsAfter(db, userId, after, PAGE);
        }
        return {
          events: [...stored.map((s) => ({ id: String(s.pos), event: s.event as ChatEvent })), ...typing, ...(await onlineContacts(userId))],
          cursor: String(stored.at(-1)?.pos ?? after),
        };
      } finally {
        box.stop();
      }
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
