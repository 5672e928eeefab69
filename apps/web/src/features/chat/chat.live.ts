import type { ChatEvent } from '@youngchat/shared';
import { toConnectionStatus } from '../../lib/connection.ts';
import { toProblem } from '../../lib/problems.ts';
import type { SocketSnapshot } from '../../lib/trpc.ts';

/**
 * One live event stream for the whole app while someone is signed in: `events.live` over the WebSocket, or
 * `events.poll` long-polling when the socket cannot get through (a proxy that drops upgrades, a strict network).
 * Either way it resumes from the last event position it saw, so nothing is missed and nothing is applied twice
 * in a way that shows (the reducer is idempotent).
 *
 * Written against small ports so the switching rules are unit-tested without a server or a browser.
 */
export type LiveStatus = 'connecting' | 'catching-up' | 'up-to-date' | 'offline' | 'elsewhere';
export type Transport = 'websocket' | 'polling';

export interface PollAnswer {
  events: { id: string | null; event: ChatEvent }[];
  cursor: string;
}

export interface LivePorts {
  socket: { get(): SocketSnapshot; subscribe(listener: () => void): () => void };
  online(): boolean;
  subscribe(
    input: { lastEventId: string | null },
    handlers: { onStarted(): void; onData(value: unknown): void; onError(error: unknown): void; onComplete(): void },
  ): { unsubscribe(): void };
  poll(input: { after: string | null; waitMs: number }, signal: AbortSignal): Promise<PollAnswer>;
  /** Events in the order they came. */
  deliver(events: ChatEvent[]): void;
  /** The stream (re)started without a position: anything before it may be missing, so reload what is shown. */
  refetchAll(): void;
  /**
   * A new stream began (every (re)connect), or a poll answered: the events that follow say who is online now,
   * so whatever was known before is dropped. Called before those events.
   */
  started(): void;
  /** Up to date again after connecting, offline or elsewhere (or for the first time): what waited meanwhile may go now. */
  backUp(): void;
  /**
   * A poll was ended for a newer connection of the same person: stop the socket as a 4409 close does, so the
   * snapshot says openedElsewhere and nothing reconnects by itself (that would push the other window out in turn).
   */
  giveWay(): void;
}

/** Failed socket attempts in a row before polling takes over. */
export const SOCKET_ATTEMPTS_BEFORE_POLLING = 3;
/** …or this long without an open socket (a connect that hangs reports no failures at all). */
export const POLL_AFTER_MS = 15_000;
/** A replay comes as a burst; this long without an event after (re)connecting means we have caught up. */
export const CATCH_UP_IDLE_MS = 600;
export const POLL_WAIT_MS = 25_000;
const RESUBSCRIBE_AFTER_MS = 3_000;
const POLL_RETRY_MAX_MS = 15_000;

/** Where the stream itself stands, on the current transport. */
type Phase = 'starting' | 'catching-up' | 'live' | 'failed';

/** What the person is told, once the transport itself is up. */
const STATUS_BY_PHASE: Record<Phase, LiveStatus> = {
  starting: 'connecting',
  'catching-up': 'catching-up',
  live: 'up-to-date',
  failed: 'offline',
};

function isEvent(value: unknown): value is ChatEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** tracked() values arrive as {id, data}; ephemeral ones as the bare event. */
export function unwrap(value: unknown): { id: string | null; event: ChatEvent } | null {
  if (isEvent(value)) return { id: null, event: value };
  if (typeof value === 'object' && value !== null && 'data' in value && 'id' in value) {
    const { id, data } = value as { id: unknown; data: unknown };
    if (isEvent(data)) return { id: typeof id === 'string' ? id : null, event: data };
  }
  return null;
}

export class LiveFeed {
  private transport: Transport = 'websocket';
  private phase: Phase = 'starting';
  private lastEventId: string | null = null;
  private failures = 0;
  private subscription: { unsubscribe(): void } | null = null;
  private pollAbort: AbortController | null = null;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private fallbackTimer: ReturnType<typeof setTimeout> | null = null;
  private stopSocketWatch: (() => void) | null = null;
  private listeners = new Set<() => void>();
  private stopped = false;
  private current: LiveStatus = 'connecting';
  private down = true;

  constructor(private readonly ports: LivePorts) {}

  start(): void {
    this.stopSocketWatch = this.ports.socket.subscribe(() => this.onSocket());
    this.subscribeSocket();
    this.onSocket();
  }

  stop(): void {
    this.stopped = true;
    this.stopSocketWatch?.();
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.pollAbort?.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.clearIdle();
    if (this.fallbackTimer) clearTimeout(this.fallbackTimer);
  }

  get status(): LiveStatus {
    return this.current;
  }

  get via(): Transport {
    return this.transport;
  }

  subscribeStatus(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called when the browser says it is online or offline. */
  refresh(): void {
    this.update();
  }

  private later(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Caught up once the burst is over. */
  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.stopped || this.phase !== 'catching-up') return;
      this.phase = 'live';
      this.update();
    }, CATCH_UP_IDLE_MS);
  }

  private receive(items: { id: string | null; event: ChatEvent }[]): void {
    const events: ChatEvent[] = [];
    for (const item of items) {
      if (item.id !== null) this.lastEventId = item.id;
      events.push(item.event);
    }
    if (events.length) this.ports.deliver(events);
  }

  // ---- WebSocket ----

  private subscribeSocket(): void {
    this.phase = 'starting';
    this.subscription?.unsubscribe();
    this.subscription = this.ports.subscribe(
      { lastEventId: this.lastEventId },
      {
        onStarted: () => {
          if (this.transport !== 'websocket') return;
          // Started "from now": whatever happened before is only in the database.
          if (this.lastEventId === null) this.ports.refetchAll();
          // Also on every reconnect (wsClient re-sends the subscription): the server says again who is online.
          this.ports.started();
          this.phase = 'catching-up';
          this.armIdle();
          this.update();
        },
        onData: (value) => {
          if (this.transport !== 'websocket') return;
          const item = unwrap(value);
          if (!item) return;
          this.receive([item]);
          if (this.phase === 'catching-up') this.armIdle();
        },
        onError: () => this.restartSocketStream(),
        onComplete: () => this.restartSocketStream(),
      },
    );
  }

  /** The stream ended while the socket stays (refused, or stopped by the server): start it again shortly. */
  private restartSocketStream(): void {
    if (this.stopped || this.transport !== 'websocket') return;
    this.subscription = null;
    this.phase = 'failed';
    this.clearIdle();
    this.update();
    this.later(() => {
      // Resubscribing would open the socket again, and push out another of the person's windows.
      if (this.ports.socket.get().openedElsewhere) return;
      if (this.transport === 'websocket' && !this.subscription) this.subscribeSocket();
    }, RESUBSCRIBE_AFTER_MS);
  }

  private onSocket(): void {
    if (this.stopped) return;
    const socket = this.ports.socket.get();
    if (socket.state === 'pending') {
      if (this.fallbackTimer) clearTimeout(this.fallbackTimer);
      this.fallbackTimer = null;
      if (this.transport === 'polling') this.useSocket();
    } else {
      if (this.transport === 'websocket' && this.phase !== 'failed') {
        this.phase = 'starting';
        this.clearIdle();
      }
      if (socket.openedElsewhere) {
        // Polling would take a connection too, and push out another of the person's windows in turn.
        if (this.fallbackTimer) clearTimeout(this.fallbackTimer);
        this.fallbackTimer = null;
      } else if (this.transport === 'websocket') {
        if (socket.failedAttempts >= SOCKET_ATTEMPTS_BEFORE_POLLING) this.usePolling();
        else this.fallbackTimer ??= setTimeout(() => {
          this.fallbackTimer = null;
          if (!this.stopped && this.transport === 'websocket' && this.ports.socket.get().state !== 'pending') this.usePolling();
        }, POLL_AFTER_MS);
      }
    }
    this.update();
  }

  private useSocket(): void {
    this.pollAbort?.abort();
    this.pollAbort = null;
    this.transport = 'websocket';
    this.subscribeSocket();
  }

  // ---- Long polling ----

  private usePolling(): void {
    if (this.fallbackTimer) clearTimeout(this.fallbackTimer);
    this.fallbackTimer = null;
    // The socket keeps trying in the background; its stream is dropped so the two never deliver at once.
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.clearIdle();
    this.transport = 'polling';
    this.phase = 'starting';
    this.failures = 0;
    void this.pollLoop();
  }

  private async pollLoop(): Promise<void> {
    const abort = new AbortController();
    this.pollAbort = abort;
    while (!this.stopped && this.transport === 'polling' && !abort.signal.aborted) {
      // Without a position, first ask where "now" is (no waiting), then reload what is shown from there.
      const fromNow = this.lastEventId === null;
      // An answer that does not come at once means the server has nothing new: we are up to date.
      const waiting = this.later(() => {
        if (this.phase !== 'failed') {
          this.phase = 'live';
          this.update();
        }
      }, CATCH_UP_IDLE_MS);
      try {
        const answer = await this.ports.poll({ after: this.lastEventId, waitMs: fromNow ? 0 : POLL_WAIT_MS }, abort.signal);
        clearTimeout(waiting);
        this.timers.delete(waiting);
        if (abort.signal.aborted) return;
        this.failures = 0;
        if (fromNow) this.ports.refetchAll();
        // Every answer ends with who is online now, in full (a poller hears no changes between polls).
        this.ports.started();
        this.receive(answer.events);
        this.lastEventId = answer.cursor;
        // Only stored events mean there may be more to fetch; who is online comes with every answer.
        this.phase = answer.events.some((item) => item.id !== null) ? 'catching-up' : 'live';
        this.update();
      } catch (error) {
        clearTimeout(waiting);
        this.timers.delete(waiting);
        if (abort.signal.aborted) return;
        if (toProblem(error).code === 'TOO_MANY_CONNECTIONS') {
          this.ports.giveWay();
          this.update();
          return;
        }
        this.failures++;
        this.phase = 'failed';
        this.update();
        const delay = Math.min(POLL_RETRY_MAX_MS, 1000 * 2 ** (this.failures - 1));
        await new Promise<void>((resolve) => this.later(resolve, delay));
      }
    }
  }

  // ---- Status ----

  private compute(): LiveStatus {
    const socket = this.ports.socket.get();
    if (socket.openedElsewhere) return 'elsewhere';
    if (!this.ports.online()) return 'offline';
    if (this.transport === 'polling') return STATUS_BY_PHASE[this.phase];
    // Once the socket is open, where the stream stands says the rest.
    const transport = toConnectionStatus(socket, true);
    return transport === 'up-to-date' ? STATUS_BY_PHASE[this.phase] : transport;
  }

  private update(): void {
    const next = this.compute();
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener();
    // Catching up and back (each poll answer with events) is no outage.
    if (next === 'connecting' || next === 'offline' || next === 'elsewhere') this.down = true;
    else if (next === 'up-to-date' && this.down) {
      this.down = false;
      this.ports.backUp();
    }
  }
}
