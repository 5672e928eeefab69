import type { DurableEvent } from '@youngchat/shared';
import { sql } from 'kysely';
import type { Db } from '../../ports/database.ts';

export interface StoredEvent {
  userId: string;
  pos: number;
  event: DurableEvent;
}

/**
 * Appends events to their recipients' logs inside the caller's transaction. The recipients' counter rows are
 * locked in id order (so concurrent writers cannot deadlock) and held until commit, which makes each user's
 * positions visible in increasing order: a reader resuming after `pos` never skips one.
 */
export async function appendEvents(db: Db, entries: { userId: string; event: DurableEvent }[]): Promise<StoredEvent[]> {
  if (entries.length === 0) return [];
  // Each recipient's entries in order: the nth takes that user's position (previous counter + n).
  const perUser = new Map<string, number>();
  const numbered = entries.map((entry) => {
    const ordinal = (perUser.get(entry.userId) ?? 0) + 1;
    perUser.set(entry.userId, ordinal);
    return { ...entry, ordinal };
  });
  const userIds = [...perUser.keys()].sort();
  await db.selectFrom('users').select('id').where('id', 'in', userIds).orderBy('id').forUpdate().execute();
  // Serialised once per event: a message's event is the same object for every member.
  const json = new Map<DurableEvent, string>();
  for (const { event } of entries) if (!json.has(event)) json.set(event, JSON.stringify(event));
  // One round trip: bump the counters, insert the rows numbered from them, and say where each user's batch began
  // (a user gone since is skipped).
  const { rows } = await sql<{ id: string; base: number }>`
    with counts (id, n) as (values ${sql.join(userIds.map((id) => sql`(${id}::uuid, ${perUser.get(id)!}::bigint)`))}),
    bumped as (
      update users set event_pos = users.event_pos + counts.n from counts where users.id = counts.id
      returning users.id, users.event_pos - counts.n as base
    ),
    inserted as (
      insert into user_events (user_id, pos, event)
      select e.user_id, bumped.base + e.ordinal, e.event
      from (values ${sql.join(numbered.map((e) => sql`(${e.userId}::uuid, ${e.ordinal}::bigint, ${json.get(e.event)!}::jsonb)`))})
        as e (user_id, ordinal, event)
      join bumped on bumped.id = e.user_id
    )
    select id, base from bumped`.execute(db);
  const base = new Map(rows.map((r) => [r.id, Number(r.base)]));
  return numbered.flatMap(({ userId, event, ordinal }) => {
    const first = base.get(userId);
    return first === undefined ? [] : [{ userId, pos: first + ordinal, event }];
  });
}

/** Events after `after`, oldest first, at most `limit`. */
export async function eventsAfter(db: Db, userId: string, after: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('user_events')
    .select(['pos', 'event'])
    .where('user_id', '=', userId)
    .where('pos', '>', after)
    .orderBy('pos')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ userId, pos: r.pos, event: (typeof r.event === 'string' ? JSON.parse(r.event) : r.event) as DurableEvent }));
}

export async function currentPosition(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom('users').select('event_pos').where('id', '=', userId).executeTakeFirst();
  return row?.event_pos ?? 0;
}

/**
 * Deletes events stored before `cutoff`, a batch at a time so no transaction holds many locks; returns how many.
 * A client whose cursor falls before what remains gets `resync`.
 */
export async function pruneEventsBefore(db: Db, cutoff: Date, batchSize = 10_000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from user_events where ctid in (
        select ctid from user_events where created_at < ${cutoff} limit ${batchSize}
      )`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
