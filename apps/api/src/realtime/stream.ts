import { EVENT_VERSION, type EphemeralEvent } from '@youngchat/shared';
import type { Logger } from 'pino';
import { DependencyUnavailableError } from '../ports/dependency.ts';
import type { EventBus } from '../ports/event-bus.ts';
import { checkedEventJson } from './checked-event.ts';

/** One durable event at its position in the log, serialised once for every recipient. */
export interface StreamEntry {
  pos: number;
  roomId: string;
  /** Only this user's (their own view of the room); null: every member of the room at this position. */
  userId: string | null;
  /** The user's own entry that adds them to the room or takes them out. */
  membership: 'join' | 'leave' | null;
  json: string;
}

/** Sees every entry this instance applies, in position order, and when the stream had to skip what it missed. */
export interface StreamObserver {
  entry(entry: StreamEntry): void;
  reset(): void;
}

/** A live reader on this instance: one user's stream over one transport. */
export interface StreamSubscriber {
  readonly userId: string;
  /** The rooms it hears now; the stream keeps this up to date as the user joins and leaves. */
  readonly rooms: Set<string>;
  deliver(entry: StreamEntry): void;
  ephemeral(event: EphemeralEvent): void;
}

export interface StreamOptions {
  bus: EventBus;
  /** This instance's batches come back from the bus too; they were delivered here already. */
  instanceId: string;
  logger: Logger;
  readHead(): Promise<{ pos: number; prunedTo: number }>;
  /** Every entry in (after, upTo], oldest first, at most `limit`. */
  readRange(after: number, upTo: number, limit: number): Promise<StreamEntry[]>;
  /** Recent entries kept in memory, from which reconnecting clients catch up without the database. */
  ringSize: number;
  /** How often the head is read, so an entry whose relay was lost is found even when nothing follows it. */
  headPollMs: number;
  /** How long an out-of-order entry waits for the ones before it to arrive by bus before they are read. */
  fillDelayMs: number;
  /** How long a reader waits for this instance to reach a position before giving up (the database is down). */
  reachTimeoutMs: number;
}

const STREAM = 'stream';
const EPHEMERAL = 'events.ephemeral';
const FILL_PAGE = 1_000;
const FILL_RETRY_MS = 1_000;

/** An entry on the bus; `version` is EVENT_VERSION of the instance that wrote it (absent: 1, from before it was sent). */
type WireEntry = [pos: number, roomId: string, userId: string | null, membership: StreamEntry['membership'], json: string, version?: number];

/** The last `capacity` entries by position; positions are dense, so an entry is found by arithmetic. */
class Ring {
  private readonly items: (StreamEntry | undefined)[];
  private first = 0;
  private count = 0;
  /** Every entry after this position is here. */
  after = 0;

  constructor(private readonly capacity: number) {
    this.items = new Array<StreamEntry | undefined>(capacity);
  }

  push(entry: StreamEntry): void {
    if (this.count === this.capacity) {
      this.items[this.first] = undefined;
      this.first = (this.first + 1) % this.capacity;
      this.count -= 1;
      this.after += 1;
    }
    this.items[(this.first + this.count) % this.capacity] = entry;
    this.count += 1;
  }

  /** Entries after `pos`, oldest first; `pos` must not be below `after`. */
  *since(pos: number): Generator<StreamEntry> {
    for (let i = Math.max(pos - this.after, 0); i < this.count; i++) yield this.items[(this.first + i) % this.capacity]!;
  }

  reset(after: number): void {
    this.items.fill(undefined);
    this.first = 0;
    this.count = 0;
    this.after = after;
  }
}

/**
 * This instance's copy of the log, in position order: entries committed here, relayed by the bus from other
 * instances, or read from the database when the bus lost some (a hole before a later entry, a head that moved
 * with nothing relayed, a broker reconnect). Each entry goes once to the local subscribers of its room (or its
 * user), already serialised; the last `ringSize` stay in memory for readers catching up.
 */
export function createStream(options: StreamOptions) {
  const { bus, logger } = options;
  const ring = new Ring(options.ringSize);
  /** Every entry up to here has been delivered locally. */
  let applied = 0;
  /** The highest position known to exist (from the bus, the head, or a reader). */
  let known = 0;
  const early = new Map<number, StreamEntry>();
  const byRoom = new Map<string, Set<StreamSubscriber>>();
  const byUser = new Map<string, Set<StreamSubscriber>>();
  const waiters = new Set<{ pos: number; resolve: () => void }>();
  const observers = new Set<StreamObserver>();
  let fillTimer: NodeJS.Timeout | undefined;
  let filling = false;
  let closed = false;

  const add = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  const remove = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
    const set = map.get(key);
    if (set?.delete(value) && set.size === 0) map.delete(key);
  };

  function route(entry: StreamEntry): void {
    if (entry.userId === null) {
      for (const sub of byRoom.get(entry.roomId) ?? []) sub.deliver(entry);
      return;
    }
    for (const sub of byUser.get(entry.userId) ?? []) {
      if (entry.membership === 'join') {
        sub.rooms.add(entry.roomId);
        add(byRoom, entry.roomId, sub);
      }
      sub.deliver(entry);
      if (entry.membership === 'leave') {
        sub.rooms.delete(entry.roomId);
        remove(byRoom, entry.roomId, sub);
      }
    }
  }

  /** Takes entries in any order and delivers every one that is next in line. */
  function ingest(entries: readonly StreamEntry[]): void {
    for (const entry of entries) {
      if (entry.pos <= applied) continue;
      early.set(entry.pos, entry);
      if (entry.pos > known) known = entry.pos;
    }
    for (let next = early.get(applied + 1); next; next = early.get(applied + 1)) {
      early.delete(next.pos);
      applied = next.pos;
      ring.push(next);
      route(next);
      for (const observer of observers) observer.entry(next);
    }
    for (const waiter of waiters) {
      if (waiter.pos > applied) continue;
      waiters.delete(waiter);
      waiter.resolve();
    }
    if (known > applied) scheduleFill();
  }

  function scheduleFill(delayMs = options.fillDelayMs): void {
    if (fillTimer || filling || closed) return;
    fillTimer = setTimeout(() => void fill(), delayMs);
    fillTimer.unref();
  }

  /** Reads what the bus has not brought: everything from `applied` to `known`. */
  async function fill(): Promise<void> {
    fillTimer = undefined;
    filling = true;
    try {
      while (known > applied && !closed) {
        // The bus may bring some of these while the read is out: `ingest` skips what was delivered meanwhile.
        const after = applied;
        const entries = await options.readRange(after, known, FILL_PAGE);
        if (entries[0]?.pos !== after + 1 && applied === after) {
          skipPruned(entries[0]?.pos ?? known + 1);
          if (entries.length === 0) break;
        }
        ingest(entries);
      }
    } catch (error) {
      logger.warn({ err: error, applied, known }, 'catching up from the database failed; retrying');
      filling = false;
      scheduleFill(FILL_RETRY_MS);
      return;
    }
    filling = false;
  }

  /**
   * What this instance missed is no longer stored (it was cut off for longer than the retention): move past it and
   * tell every local reader to start over.
   */
  function skipPruned(next: number): void {
    logger.warn({ applied, next }, 'entries missed by this instance are pruned: every local reader resyncs');
    applied = next - 1;
    known = Math.max(known, applied);
    ring.reset(applied);
    for (const subs of byUser.values()) for (const sub of subs) sub.ephemeral({ type: 'resync' });
    for (const observer of observers) observer.reset();
  }

  async function pollHead(): Promise<void> {
    const head = await options.readHead();
    if (head.pos > known) known = head.pos;
    if (known > applied) scheduleFill();
  }

  const unsubscribe = bus.subscribe((message) => {
    if (message.type === STREAM && message.from !== options.instanceId) {
      const wire = message.entries as WireEntry[];
      ingest(wire.map(([pos, roomId, userId, membership, raw, version = 1]) => {
        // Read back as an event in the database would be (checked-event.ts): another instance may run other code.
        const { json, problem } = checkedEventJson(raw, version);
        if (problem) logger.warn({ pos, problem }, 'a relayed event was unreadable: readers get resync in its place');
        return { pos, roomId, userId, membership, json };
      }));
    } else if (message.type === EPHEMERAL) {
      const { userIds, event } = message as unknown as { userIds: string[]; event: EphemeralEvent };
      deliverLocal(userIds, event);
    }
  });
  // Whatever the broker dropped while away is in the database.
  const unsubscribeGap = bus.onGap(() => void pollHead().then(() => scheduleFill(0), () => scheduleFill(FILL_RETRY_MS)));

  let headTimer: NodeJS.Timeout | undefined;

  function deliverLocal(userIds: Iterable<string>, event: EphemeralEvent): void {
    for (const userId of userIds) for (const sub of byUser.get(userId) ?? []) sub.ephemeral(event);
  }

  return {
    /** Starts at the database's head: this instance delivers what is committed from now on. */
    async start(): Promise<void> {
      const head = await options.readHead();
      applied = known = head.pos;
      ring.reset(applied);
      headTimer = setInterval(() => {
        pollHead().catch((error: unknown) => logger.warn({ err: error }, 'reading the stream head failed'));
      }, options.headPollMs);
      headTimer.unref();
    },

    /** After commit: delivered here at once, and relayed to the other instances. */
    publish(entries: StreamEntry[]): void {
      if (entries.length === 0) return;
      ingest(entries);
      const wire: WireEntry[] = entries.map((e) => [e.pos, e.roomId, e.userId, e.membership, e.json, EVENT_VERSION]);
      bus.publish({ type: STREAM, from: options.instanceId, entries: wire }).catch((error: unknown) => {
        // The other instances find these entries in the database (their head poll or the next relayed entry).
        logger.warn({ err: error }, 'live events not relayed');
      });
    },

    async publishEphemeral(userIds: string[], event: EphemeralEvent): Promise<void> {
      await bus.publish({ type: EPHEMERAL, userIds, event });
    },

    /** Straight to this instance's subscribers, for events every instance works out for itself (presence). */
    deliverLocal,

    /** Every entry applied from now on, and every reset; returns how to stop. */
    observe(observer: StreamObserver): () => void {
      observers.add(observer);
      return () => observers.delete(observer);
    },

    /** The last position delivered here; everything up to it is committed. */
    applied: () => applied,

    /** Whether every entry after `pos` up to `applied` is in memory. */
    covers: (pos: number) => pos >= ring.after && pos <= applied,

    /** Entries after `pos` up to `applied`, from memory (check `covers` first). */
    since: (pos: number) => ring.since(pos),

    /** Resolves once this instance has delivered `pos`, reading the database if the bus is slow to bring it. */
    reach(pos: number): Promise<void> {
      if (pos <= applied) return Promise.resolve();
      if (pos > known) known = pos;
      scheduleFill();
      return new Promise((resolve, reject) => {
        const waiter = { pos, resolve: () => (clearTimeout(timer), resolve()) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new DependencyUnavailableError('database', { cause: new Error(`the stream did not reach ${pos}`) }));
        }, options.reachTimeoutMs);
        waiters.add(waiter);
      });
    },

    /** From now on the subscriber gets every entry after `applied` for its rooms and itself. */
    attach(sub: StreamSubscriber): () => void {
      add(byUser, sub.userId, sub);
      for (const roomId of sub.rooms) add(byRoom, roomId, sub);
      return () => {
        remove(byUser, sub.userId, sub);
        for (const roomId of sub.rooms) remove(byRoom, roomId, sub);
      };
    },

    /**
     * Stops delivering to this instance's readers (a shutdown, before they are told to reconnect): a reader resumes
     * elsewhere from the last event it got here, so one more event sent here after that would reach it twice.
     */
    detachAll(): void {
      byRoom.clear();
      byUser.clear();
    },

    subscriberCount: () => [...byUser.values()].reduce((n, s) => n + s.size, 0),

    close(): void {
      closed = true;
      clearInterval(headTimer);
      clearTimeout(fillTimer);
      unsubscribe();
      unsubscribeGap();
    },
  };
}

export type Stream = ReturnType<typeof createStream>;
