import type { Db } from '../../ports/database.ts';
import type { Stream, StreamEntry } from '../../realtime/stream.ts';
import { appendToLog, type LogEntry } from './events.repository.ts';

export interface Change<T> {
  result: T;
  /** Durable events, appended to the log in the change's own transaction. */
  events: LogEntry[];
}

/**
 * Commit first, then publish (DESIGN §5): the change and its events land in one transaction, and only then go
 * to this instance's subscribers and the bus. If the relay fails, the other instances find them in the database.
 */
export async function commitWithEvents<T>(db: Db, stream: Stream, change: (tx: Db) => Promise<Change<T>>): Promise<T> {
  let stored: StreamEntry[] = [];
  const result = await db.transaction().execute(async (tx) => {
    const { result, events } = await change(tx);
    stored = await appendToLog(tx, events);
    return result;
  });
  stream.publish(stored);
  return result;
}
