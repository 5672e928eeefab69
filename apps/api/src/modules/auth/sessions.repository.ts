import { sql, type Selectable } from 'kysely';
import type { Db, SessionsTable } from '../../ports/database.ts';

export type SessionRow = Pick<Selectable<SessionsTable>, 'id' | 'user_agent' | 'place' | 'created_at' | 'last_active_at'>;

export async function insertSession(db: Db, session: { id: string; userId: string; userAgent: string; place: string | null }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: session.userId, user_agent: session.userAgent, place: session.place })
    .execute();
}

export async function touchSession(db: Db, id: string, place: string | null): Promise<void> {
  await db.updateTable('sessions').set({ last_active_at: sql<Date>`now()`, place }).where('id', '=', id).execute();
}

export async function markSessionsEnded(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('sessions').set({ ended_at: sql<Date>`now()` }).where('id', 'in', [...ids]).where('ended_at', 'is', null).execute();
}

/** Sign-ins not ended and not past their family's absolute expiry, most recently active first. */
export function openSessions(db: Db, userId: string, startedAfter: Date): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'place', 'created_at', 'last_active_at'])
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('created_at', '>', startedAfter)
    .orderBy('last_active_at', 'desc')
    .execute();
}
