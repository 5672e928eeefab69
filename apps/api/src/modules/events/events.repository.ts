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
  const perUser = new Map<string, number>();
  for (const { userId } of entries) perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
  const userIds = [...perUser.keys()].sort();
  await db.selectFrom('users').select('id').where('id', 'in', userIds).orderBy('id').forUpdate().execute();
  const counters = await db
    .updateTable('users')
    .set({
      event_pos: sql<number>`event_pos + (case id ${sql.join(
        userIds.map((id) => sql`when ${id}::uuid then ${perUser.get(id)!}::bigint`),
        sql` `,
      )} end)`,
    })
    .where('id', 'in', userIds)
    .returning(['id', 'event_pos'])
    .execute();
  // event_pos is now the last position of this batch; hand them out from the first.
  const next = new Map(counters.map((c) => [c.id, c.event_pos - perUser.get(c.id)! + 1]));
  const stored = entries.flatMap(({ userId, event }) => {
    const pos = next.get(userId);
    if (pos === undefined) return []; // the account is gone
    next.set(userId, pos + 1);
    return [{ userId, pos, event }];
  });
  if (stored.length > 0) {
    await db
      .insertInto('user_events')
      .values(stored.map((s) => ({ user_id: s.userId, pos: s.pos, event: JSON.stringify(s.event) })))
      .execute();
  }
  return stored;
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
