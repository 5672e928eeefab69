import type { Db } from '../../ports/database.ts';
import type { Stream } from '../../realtime/stream.ts';
import { activeMembers } from '../rooms/rooms.api.ts';
import { unreadCounter } from './messages.mapper.ts';

type Counter = ReturnType<typeof unreadCounter>;

/**
 * Each room's unread counter (its members' arrivals and read positions) kept in memory for history pages: the
 * statement that read them with every page read every member's row, 1000 in a room of 1000, and PostgreSQL ran out
 * of CPU there long before the API did. Any log entry of a room may move them (a message moves its sender, a read, a
 * join, a leave), and every instance applies every entry, so an entry drops its room's copy; a copy read while an
 * entry of its room arrived is not kept. A copy is so never older than what this instance has applied; a message
 * committed moments ago may show a read that happened meanwhile a moment late, as live delivery would.
 */
export function createRosters(db: Db, stream: Stream, capacity = 10_000) {
  const counters = new Map<string, Counter>();
  const loading = new Map<string, { counter: Promise<Counter>; stale: boolean }>();

  stream.observe({
    entry(entry) {
      counters.delete(entry.roomId);
      const load = loading.get(entry.roomId);
      if (load) load.stale = true;
    },
    // The stream skipped what it missed: anything may have moved.
    reset() {
      counters.clear();
      for (const load of loading.values()) load.stale = true;
    },
  });

  return {
    counterFor(roomId: string): Promise<Counter> {
      const known = counters.get(roomId);
      if (known) return Promise.resolve(known);
      const pending = loading.get(roomId);
      if (pending) return pending.counter;
      const load = { stale: false, counter: activeMembers(db, [roomId]).then(unreadCounter) };
      loading.set(roomId, load);
      // Kept, or not, in the same turn as the load stops counting as pending: no entry can fall in between.
      const settle = (counter?: Counter) => {
        loading.delete(roomId);
        if (!counter || load.stale) return;
        // A bound on memory, not a policy: the oldest copy goes first.
        if (counters.size >= capacity) counters.delete(counters.keys().next().value!);
        counters.set(roomId, counter);
      };
      load.counter.then(settle, () => settle()); // the caller of counterFor gets the error
      return load.counter;
    },
  };
}

export type Rosters = ReturnType<typeof createRosters>;
