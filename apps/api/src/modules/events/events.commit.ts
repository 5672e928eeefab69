import type { DurableEvent } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import type { EventHub } from '../../realtime/event-hub.ts';
import { appendEvents, type StoredEvent } from './events.repository.ts';

export interface Change<T> {
  result: T;
  /** Durable events for their recipients, written in the change's own transaction. */
  events: { userId: string; event: DurableEvent }[];
}

/**
 * Commit first, then publish (DESIGN §5): the change and its events land in one transaction, and only then go
 * to the bus. If the relay fails, subscribers still find the events in the database.
 */
export async function commitWithEvents<T>(db: Db, hub: EventHub, change: (tx: Db) => Promise<Change<T>>): Promise<T> {
  let stored: StoredEvent[] = [];
  const result = await db.transaction().execute(async (tx) => {
    const { result, events } = await change(tx);
    stored = await appendEvents(tx, events);
    return result;
  });
  await hub.publishStored(stored);
  return result;
}
