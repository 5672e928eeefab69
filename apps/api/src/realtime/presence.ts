import type { Logger } from 'pino';
import type { EventBus, BusMessage } from '../ports/event-bus.ts';

const CHANGED = 'presence.changed';
const HEARTBEAT = 'presence.heartbeat';
const HELLO = 'presence.hello';
const BYE = 'presence.bye';

/** Another instance's view is dropped after this many missed heartbeats (it was killed or cut off). */
const MISSED_BEATS = 3;

export interface PresenceOptions {
  instanceId: string;
  logger?: Logger;
  /** A user stays online this long after their last connection here ends, so reloads and reconnects don't flicker. */
  graceMs: number;
  /** How often each instance repeats who is online on it. */
  heartbeatMs: number;
  /** A long-polling client counts as online this long after its last poll began. */
  pollLeaseMs: number;
}

type ChangeListener = (userId: string, online: boolean) => void;

/**
 * Who is online anywhere. Each instance knows its own connections and tells the others over the event bus:
 * every change at once, and its whole online set every heartbeat. Every instance so holds the same picture and
 * notices a change itself, so presence needs no shared store and no counter that a killed instance leaves behind:
 * its entries expire when its heartbeats stop.
 */
export function createPresence(bus: EventBus, options: PresenceOptions) {
  const { instanceId } = options;
  const listeners = new Set<ChangeListener>();

  // This instance: live subscriptions and poll leases per user, and who it has announced as online.
  const connections = new Map<string, number>();
  const leases = new Map<string, { until: number; timer: NodeJS.Timeout }>();
  const announced = new Set<string>();
  const goingOffline = new Map<string, NodeJS.Timeout>();

  // Every instance's online users (this one's included) and how many instances hold each user.
  const instances = new Map<string, { users: Set<string>; expiresAt: number }>();
  const holders = new Map<string, number>();

  function entryOf(instance: string) {
    let entry = instances.get(instance);
    if (!entry) instances.set(instance, (entry = { users: new Set<string>(), expiresAt: Infinity }));
    return entry;
  }

  function setOnline(instance: string, userId: string, online: boolean): void {
    const entry = entryOf(instance);
    if (online === entry.users.has(userId)) return;
    const count = (holders.get(userId) ?? 0) + (online ? 1 : -1);
    if (online) entry.users.add(userId);
    else entry.users.delete(userId);
    if (count === 0) holders.delete(userId);
    else holders.set(userId, count);
    if (count === (online ? 1 : 0)) for (const listener of listeners) listener(userId, online);
  }

  function replaceInstance(instance: string, users: readonly string[]): void {
    const now = new Set(users);
    for (const userId of instances.get(instance)?.users ?? []) if (!now.has(userId)) setOnline(instance, userId, false);
    for (const userId of now) setOnline(instance, userId, true);
  }

  function dropInstance(instance: string): void {
    replaceInstance(instance, []);
    instances.delete(instance);
  }

  // A lost presence message is repaired by the next heartbeat; the bus logs its own outages.
  const publish = (message: BusMessage) =>
    bus.publish(message).catch((error: unknown) => options.logger?.debug({ err: error, type: message.type }, 'presence message not sent'));

  const isHereNow = (userId: string) => (connections.get(userId) ?? 0) > 0 || (leases.get(userId)?.until ?? 0) > Date.now();

  /** Brings this instance's announcement in line with its connections; going offline waits out the grace. */
  function reconcile(userId: string): void {
    if (isHereNow(userId)) {
      clearTimeout(goingOffline.get(userId));
      goingOffline.delete(userId);
      if (announced.has(userId)) return;
      announced.add(userId);
      setOnline(instanceId, userId, true);
      void publish({ type: CHANGED, instanceId, userId, online: true });
    } else if (announced.has(userId) && !goingOffline.has(userId)) {
      goingOffline.set(
        userId,
        setTimeout(() => {
          goingOffline.delete(userId);
          if (isHereNow(userId) || !announced.delete(userId)) return;
          setOnline(instanceId, userId, false);
          void publish({ type: CHANGED, instanceId, userId, online: false });
        }, options.graceMs),
      );
    }
  }

  const beat = () => publish({ type: HEARTBEAT, instanceId, userIds: [...announced] });

  const unsubscribe = bus.subscribe((message) => {
    if (!message.type.startsWith('presence.') || message.instanceId === instanceId) return;
    const from = message.instanceId as string;
    if (message.type === BYE) return dropInstance(from);
    entryOf(from).expiresAt = Date.now() + MISSED_BEATS * options.heartbeatMs;
    if (message.type === CHANGED) setOnline(from, message.userId as string, message.online as boolean);
    else if (message.type === HEARTBEAT) replaceInstance(from, message.userIds as string[]);
    else if (message.type === HELLO) void beat();
  });
  // After a broker gap any change may have been missed: ask everyone for their full picture again.
  const stopGapWatch = bus.onGap(() => void publish({ type: HELLO, instanceId }));

  const heartbeat = setInterval(() => {
    void beat();
    for (const [instance, entry] of instances) if (entry.expiresAt < Date.now()) dropInstance(instance);
  }, options.heartbeatMs);
  heartbeat.unref();
  void publish({ type: HELLO, instanceId });

  return {
    /** A live subscription opened; call the returned function when it ends. */
    hold(userId: string): () => void {
      connections.set(userId, (connections.get(userId) ?? 0) + 1);
      reconcile(userId);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = connections.get(userId)! - 1;
        if (left === 0) connections.delete(userId);
        else connections.set(userId, left);
        reconcile(userId);
      };
    },

    /** A long-poll arrived: online until the lease runs out without another. */
    touch(userId: string): void {
      clearTimeout(leases.get(userId)?.timer);
      const timer = setTimeout(() => {
        leases.delete(userId);
        reconcile(userId);
      }, options.pollLeaseMs);
      timer.unref();
      leases.set(userId, { until: Date.now() + options.pollLeaseMs, timer });
      reconcile(userId);
    },

    isOnline: (userId: string) => holders.has(userId),

    /** Called when a user comes online on the first instance, or goes offline on the last. */
    onChange(listener: ChangeListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Graceful stop: the others drop this instance's users now rather than after missed heartbeats. */
    async close(): Promise<void> {
      clearInterval(heartbeat);
      for (const timer of goingOffline.values()) clearTimeout(timer);
      for (const lease of leases.values()) clearTimeout(lease.timer);
      stopGapWatch();
      unsubscribe();
      await publish({ type: BYE, instanceId });
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
