import type { ChatEvent, EphemeralEvent, Room } from '@youngchat/shared';
import type { Logger } from 'pino';
import type { Db } from '../../ports/database.ts';
import type { Presence } from '../../realtime/presence.ts';
import type { LiveSocket } from '../../realtime/live-socket.ts';
import { createPresenceFanout } from '../../realtime/presence-fanout.ts';
import { RawEvent } from '../../realtime/raw-event.ts';
import type { Stream, StreamEntry } from '../../realtime/stream.ts';
import { contactsOf } from '../rooms/rooms.api.ts';
import { countForReader, membershipChanges, readLog, readStart } from './events.repository.ts';

/** Replayed from the database in pages of this size; also the most one poll answers with. */
const PAGE = 500;
/** More missed events than this: tell the client to resync rather than replay them all. */
const MAX_REPLAY = 5_000;
/** 10,000 users changing at once (an instance starting or dying) cost about 20 queries over a second. */
const PRESENCE_FANOUT = { batchSize: 500, intervalMs: 50 };

export interface StreamItem {
  /** The position, for durable events; ephemeral events have none. */
  id: string | null;
  /** Durable events stay the JSON they were serialised to once (see RawEvent). */
  event: ChatEvent | RawEvent;
}

const RESYNC_EVENT: EphemeralEvent = { type: 'resync' };

/**
 * One reader: its replay first, then what the stream delivers live, in order. It is the subscriber the stream routes
 * to. Until it writes to a socket it queues, with a way to wait for more; once it writes to a socket (events.live
 * over WebSocket), each event goes straight out, its JSON as serialised once for every reader. Someone already online
 * who arrives with a room (the reader's own view of it) is announced once.
 *
 * A queue that reaches `cap` (a reader that stopped reading: an SSE client, a long-poll) stops taking events and
 * says `overflowed`; `position` is then the last durable event it holds, from which its reader resumes once it has
 * caught up. Memory stays bounded whatever the reader does; the events in between come from the stream's memory or
 * the database.
 */
class Inbox {
  readonly items: StreamItem[] = [];
  readonly rooms = new Set<string>();
  /** The last durable event taken (queued or written), or where the reader started. */
  position = 0;
  overflowed = false;
  /** Items at the head of the queue that do not count against the cap: who is online when the reader starts. */
  private snapshot = 0;
  private readonly shownOnline = new Set<string>();
  private socket: LiveSocket | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly userId: string,
    private readonly isOnline: (userId: string) => boolean,
    private readonly cap = Infinity,
  ) {}

  deliver(entry: StreamEntry): void {
    if (this.overflowed) return;
    const id = String(entry.pos);
    if (this.socket) this.socket.durable(id, entry.json);
    else if (!this.queue({ id, event: new RawEvent(entry.json) })) return;
    this.position = entry.pos;
    // Only the user's own room views can bring new people; they are few, so parsing them is cheap.
    if (entry.userId !== null && entry.json.startsWith('{"type":"room.')) this.announceArrivals(entry.json);
  }

  /**
   * Who is online when the reader starts: one event per contact, however many, so it does not count against the
   * cap (a snapshot larger than the cap would otherwise overflow every time the reader resumes).
   */
  onlineSnapshot(userIds: string[]): void {
    for (const userId of userIds) this.ephemeral({ type: 'presence', userId, online: true });
    if (!this.socket) this.snapshot = this.items.length;
  }

  ephemeral(event: EphemeralEvent): void {
    if (this.overflowed) return; // who is online is said again when the reader resumes
    if (event.type === 'presence') {
      if (event.online) this.shownOnline.add(event.userId);
      else this.shownOnline.delete(event.userId);
    }
    if (this.socket) this.socket.ephemeral(event);
    else this.queue({ id: null, event });
  }

  private announceArrivals(json: string): void {
    const room = (JSON.parse(json) as { room?: Room }).room;
    for (const { id } of room?.members ?? []) {
      if (id !== this.userId && !this.shownOnline.has(id) && this.isOnline(id)) this.ephemeral({ type: 'presence', userId: id, online: true });
    }
  }

  /** False when the queue is full: the item is not taken, and nothing more will be. */
  private queue(item: StreamItem): boolean {
    if (this.items.length - this.snapshot >= this.cap) this.overflowed = true;
    else this.items.push(item);
    this.wake?.();
    return !this.overflowed;
  }

  /** Everything queued, taken out. */
  drain(): StreamItem[] {
    this.snapshot = 0;
    return this.items.splice(0);
  }

  /** Writes what is queued to the socket, then everything that follows as it comes. */
  writeTo(socket: LiveSocket): void {
    for (const { id, event } of this.drain()) {
      if (event instanceof RawEvent) socket.durable(id!, event.json);
      else socket.ephemeral(event as EphemeralEvent);
    }
    this.socket = socket;
  }

  /** Resolves when something is queued, the signal aborts, or `timeoutMs` passes. */
  next(signal: AbortSignal | undefined, timeoutMs = Infinity): Promise<void> {
    if (this.items.length > 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = Number.isFinite(timeoutMs) ? setTimeout(done, timeoutMs) : undefined;
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}

/** Whether the entry reaches a reader in `rooms`, and the rooms it is in after it. */
function follow(entry: StreamEntry, userId: string, rooms: Set<string>): boolean {
  if (entry.userId !== null) {
    if (entry.userId !== userId) return false;
    if (entry.membership === 'join') rooms.add(entry.roomId);
    if (entry.membership === 'leave') rooms.delete(entry.roomId);
    return true;
  }
  return rooms.has(entry.roomId);
}

export interface EventsServiceDeps {
  db: Db;
  stream: Stream;
  presence: Presence;
  logger: Logger;
  /** Events an SSE stream or a long-poll may hold unread; past it, its reader resumes from its position. */
  queueCap: number;
}

export function createEventsService({ db, stream, presence, logger, queueCap }: EventsServiceDeps) {
  // Every instance learns of every presence change and tells its own subscribers who share a room with that person
  // (delivery skips contacts with no subscriber here), in batches.
  const fanout = createPresenceFanout({
    contactsOf: (userIds) => contactsOf(db, userIds),
    deliver: stream.deliverLocal,
    isOnline: presence.isOnline,
    logger,
    ...PRESENCE_FANOUT,
  });
  presence.onChange((userId) => fanout.changed(userId));

  /** The user's own joins and leaves in (after, upTo], from memory when it reaches back that far. */
  async function changesOf(userId: string, after: number, upTo: number) {
    if (!stream.covers(after)) return membershipChanges(db, userId, { after, upTo });
    const changes: { room_id: string; membership: 'join' | 'leave' }[] = [];
    for (const entry of stream.since(after)) {
      if (entry.pos > upTo) break;
      if (entry.userId === userId && entry.membership) changes.push({ room_id: entry.roomId, membership: entry.membership });
    }
    return changes;
  }

  /**
   * Fills `inbox` with everything after `lastEventId` that concerns the user, from the database while the stream's
   * memory does not reach back that far, then from memory; then attaches it to the stream, which delivers the rest
   * live. Between the last entry replayed and the attachment nothing else runs, so nothing falls in between. With
   * `limit`, stops after replaying that many without attaching; `position` is then where it stopped.
   * Without `lastEventId`, the stream starts from `now`: this instance's position when the reader asked, taken
   * before anything is awaited, so a change the client makes once its subscription has started is never missed.
   */
  async function open(inbox: Inbox, lastEventId: string | null | undefined, now: number, limit = Infinity) {
    const { userId, rooms } = inbox;
    inbox.position = lastEventId == null ? now : Number(lastEventId);
    const start = await readStart(db, userId);
    // Who is online first: the reader replaces what it knew with this, then hears each change.
    inbox.onlineSnapshot(start.contacts.filter((id) => presence.isOnline(id)));
    // Everything up to the head is delivered here before replaying, so memory and database meet.
    await stream.reach(start.pos);
    let last = lastEventId == null ? now : Number(lastEventId);
    let resync = last < start.prunedTo || last > stream.applied();
    let replayed = 0;
    for (const id of start.rooms) rooms.add(id);
    if (!resync && last < start.pos) {
      // The rooms the user was in at `last`: today's, with the joins and leaves since undone.
      const changes = await changesOf(userId, last, start.pos);
      for (const change of [...changes].reverse()) {
        if (change.membership === 'join') rooms.delete(change.room_id);
        else rooms.add(change.room_id);
      }
      const reader = { userId, rooms: new Set([...rooms, ...changes.map((c) => c.room_id)]) };
      if (!stream.covers(last)) resync = (await countForReader(db, { after: last, upTo: start.pos }, reader, MAX_REPLAY)) > MAX_REPLAY;
      while (!resync && !stream.covers(last) && replayed < limit) {
        const upTo = stream.applied();
        const page = await readLog(db, { after: last, upTo, limit: PAGE }, reader);
        for (const problem of page.problems) logger.warn({ problem, userId }, 'a stored event was unreadable: the reader gets resync in its place');
        resync = last < page.prunedTo;
        let readAll = !resync && page.entries.length < PAGE;
        for (const entry of page.entries) {
          if (resync || replayed >= limit) {
            readAll = false;
            break;
          }
          if (follow(entry, userId, rooms)) {
            inbox.deliver(entry);
            replayed += 1;
          }
          last = entry.pos;
          // A room joined after the start: its entries were not asked for, so ask again from here.
          if (entry.membership === 'join' && !reader.rooms.has(entry.roomId)) {
            reader.rooms.add(entry.roomId);
            readAll = false;
            break;
          }
        }
        if (readAll) last = upTo;
      }
    }
    if (resync) {
      // Start over from the head, with today's rooms.
      inbox.ephemeral(RESYNC_EVENT);
      last = start.pos;
      rooms.clear();
      for (const id of start.rooms) rooms.add(id);
    }
    for (const entry of stream.since(last)) {
      if (replayed >= limit) break;
      if (follow(entry, userId, rooms)) {
        inbox.deliver(entry);
        replayed += 1;
      }
      last = entry.pos;
    }
    if (replayed >= limit && last < stream.applied()) return { position: last, attached: undefined, contacts: start.contacts };
    if (!inbox.overflowed) inbox.position = stream.applied();
    return { position: stream.applied(), attached: stream.attach(inbox), contacts: start.contacts };
  }

  return {
    /**
     * One user's stream written straight to a WebSocket (events.live over wsLink): who is online, then the replay
     * after `lastEventId`, then live events as they come. Resolves when `signal` ends it. No generator in between: a
     * subscribed socket that waits holds as little as it can (DESIGN §8: ≤ 30 KB each).
     */
    async follow(userId: string, lastEventId: string | null | undefined, signal: AbortSignal, socket: LiveSocket): Promise<void> {
      const now = stream.applied();
      const release = presence.hold(userId);
      let detach: (() => void) | undefined;
      try {
        // A socket's own buffer is bounded instead (slow-consumers.ts), so the queue of its replay is not.
        const inbox = new Inbox(userId, presence.isOnline);
        detach = (await open(inbox, lastEventId, now)).attached;
        inbox.writeTo(socket);
        await inbox.next(signal);
      } finally {
        detach?.();
        release();
      }
    },

    /** One user's stream as items to yield (SSE, or a socket whose frames tRPC writes): as `follow`, queued. */
    async *live(userId: string, lastEventId: string | null | undefined, signal: AbortSignal | undefined): AsyncGenerator<StreamItem> {
      const now = stream.applied();
      const release = presence.hold(userId);
      let detach: (() => void) | undefined;
      try {
        let inbox = new Inbox(userId, presence.isOnline, queueCap);
        detach = (await open(inbox, lastEventId, now)).attached;
        while (!signal?.aborted) {
          yield* inbox.drain();
          if (inbox.overflowed && inbox.items.length === 0) {
            // Caught up with what it held: on from there, as a reconnect with that lastEventId would.
            logger.info({ userId, position: inbox.position }, 'slow reader caught up with its full queue; resuming from its position');
            detach?.();
            detach = undefined;
            const from = String(inbox.position);
            inbox = new Inbox(userId, presence.isOnline, queueCap);
            detach = (await open(inbox, from, stream.applied())).attached;
            continue;
          }
          await inbox.next(signal);
        }
      } finally {
        detach?.();
        release();
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
    ): Promise<{ events: { id: string | null; event: ChatEvent }[]; cursor: string }> {
      presence.touch(userId);
      const inbox = new Inbox(userId, presence.isOnline, queueCap);
      const opened = await open(inbox, input.after, stream.applied(), PAGE);
      try {
        if (opened.attached && inbox.items.length === 0 && input.waitMs > 0) await inbox.next(signal, input.waitMs);
        // Presence is answered in full below; typing while waiting is worth showing.
        const events = inbox.drain().filter((item) => item.id !== null || item.event === RESYNC_EVENT || (item.event as ChatEvent).type === 'typing');
        const lastDurable = events.findLast((item) => item.id !== null)?.id;
        // Attached, the poller has seen everything up to where the stream is now (or its full queue reached);
        // otherwise where the replay stopped.
        const cursor = inbox.overflowed ? inbox.position : !opened.attached ? opened.position : Math.max(stream.applied(), Number(lastDurable ?? 0));
        // A RawEvent answers as the ChatEvent it holds (toJSON).
        const online = opened.contacts.filter((id) => presence.isOnline(id)).map((id) => ({ id: null, event: { type: 'presence', userId: id, online: true } }));
        return { events: [...events, ...online] as { id: string | null; event: ChatEvent }[], cursor: String(cursor) };
      } finally {
        opened.attached?.();
      }
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
