import type { DurableEvent, EphemeralEvent } from '@youngchat/shared';
import type { Logger } from 'pino';
import type { EventBus } from '../ports/event-bus.ts';
import type { StoredEvent } from '../modules/events/events.repository.ts';

export type HubItem =
  | { kind: 'durable'; pos: number; event: DurableEvent }
  | { kind: 'ephemeral'; event: EphemeralEvent }
  /** Live events may have been lost (broker gap): readers catch up from the database. */
  | { kind: 'gap' };

type Listener = (item: HubItem) => void;

const DURABLE = 'events.durable';
const EPHEMERAL = 'events.ephemeral';

/**
 * This instance's live subscribers by user, fed by the event bus. The database is the record: the bus only
 * says "user U has event N", so a missed bus message costs latency, never an event.
 */
export function createEventHub(bus: EventBus, logger: Logger) {
  const listeners = new Map<string, Set<Listener>>();

  const deliver = (userId: string, item: HubItem) => {
    for (const listener of listeners.get(userId) ?? []) listener(item);
  };

  bus.subscribe((message) => {
    if (message.type === DURABLE) {
      const { recipients, event } = message as unknown as { recipients: [string, number][]; event: DurableEvent };
      for (const [userId, pos] of recipients) deliver(userId, { kind: 'durable', pos, event });
    } else if (message.type === EPHEMERAL) {
      const { userIds, event } = message as unknown as { userIds: string[]; event: EphemeralEvent };
      for (const userId of userIds) deliver(userId, { kind: 'ephemeral', event });
    }
  });
  bus.onGap(() => {
    for (const userId of listeners.keys()) deliver(userId, { kind: 'gap' });
  });

  return {
    listen(userId: string, listener: Listener): () => void {
      let set = listeners.get(userId);
      if (!set) listeners.set(userId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userId);
      };
    },

    /** After commit: one bus message per distinct event, listing every recipient's position. */
    async publishStored(stored: StoredEvent[]): Promise<void> {
      const byEvent = new Map<DurableEvent, [string, number][]>();
      for (const s of stored) byEvent.set(s.event, [...(byEvent.get(s.event) ?? []), [s.userId, s.pos]]);
      await Promise.all(
        [...byEvent].map(([event, recipients]) =>
          bus.publish({ type: DURABLE, recipients, event }).catch((error: unknown) => {
            // Subscribers catch up from the database on their next event or reconnect.
            logger.warn({ err: error }, 'live event not relayed');
          }),
        ),
      );
    },

    async publishEphemeral(userIds: string[], event: EphemeralEvent): Promise<void> {
      await bus.publish({ type: EPHEMERAL, userIds, event });
    },

    /** Straight to this instance's subscribers, for events every instance works out for itself (presence). */
    deliverLocal(userIds: Iterable<string>, event: EphemeralEvent): void {
      for (const userId of userIds) deliver(userId, { kind: 'ephemeral', event });
    },

    subscriberCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
