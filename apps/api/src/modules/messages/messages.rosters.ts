import type { Db } from '../../ports/database.ts';
import type { Stream } from '../../realtime/stream.ts';
import { activeMembers, type MemberRow } from '../rooms/rooms.api.ts';
import { unreadCounter } from './messages.mapper.ts';

/** A room's current members, and the unread count of any of its messages. */
export interface Roster {
  size: number;
  member(userId: string): MemberRow | undefined;
  unread: ReturnType<typeof unreadCounter>;
}

function rosterOf(members: MemberRow[]): Roster {
  const byUser = new Map(members.map((m) => [m.user_id, m]));
  return { size: byUser.size, member: (userId) => byUser.get(userId), unread: unreadCounter(members) };
}

/**
 * Each room's members (who may read it, from where, and how far each has read) kept in memory for history pages:
 * the statement that read them with every page read every member's row, 1000 in a room of 1000, and PostgreSQL ran
 * out of CPU there long before the API did; the membership check then cost a join that made PostgreSQL plan every
 * page anew. Any log entry of a room may move them (a message moves its sender, a read, a
 * join, a leave), and every instance applies every entry, so an entry drops its room's copy; a copy read while an
 * entry of its room arrived is not kept. A copy is so never older than what this instance has applied; a message
 * committed moments ago may show a read that happened meanwhile a moment late, as live delivery would.
 */
export function createRosters(db: Db, stream: Stream, capacity = 10_000) {
  const rosters = new Map<string, Roster>();
  const loading = new Map<string, { roster: Promise<Roster>; stale: boolean }>();

  stream.observe({
    entry(entry) {
      rosters.delete(entry.roomId);
      const load = loading.get(entry.roomId);
      if (load) load.stale = true;
    },
    // The stream skipped what it missed: anything may have moved.
    reset() {
      rosters.clear();
      for (const load of loading.values()) load.stale = true;
    },
  });

  return {
    rosterFor(roomId: string): Promise<Roster> {
      const known = rosters.get(roomId);
      if (known) return Promise.resolve(known);
      const pending = loading.get(roomId);
      if (pending) return pending.roster;
      const load = { stale: false, roster: activeMembers(db, [roomId]).then(rosterOf) };
      loading.set(roomId, load);
      // Kept, or not, in the same turn as the load stops counting as pending: no entry can fall in between.
      const settle = (roster?: Roster) => {
        loading.delete(roomId);
        // No members: no such room (or nobody left in it); nothing worth keeping, whoever asked.
        if (!roster || load.stale || roster.size === 0) return;
        // A bound on memory, not a policy: the oldest copy goes first.
        if (rosters.size >= capacity) rosters.delete(rosters.keys().next().value!);
        rosters.set(roomId, roster);
      };
      load.roster.then(settle, () => settle()); // the caller of rosterFor gets the error
      return load.roster;
    },
  };
}

export type Rosters = ReturnType<typeof createRosters>;
