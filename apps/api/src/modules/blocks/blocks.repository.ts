import type { Db } from '../../ports/database.ts';

export async function insertBlock(db: Db, blockerId: string, blockedId: string): Promise<void> {
  await db
    .insertInto('user_blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId })
    .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
    .execute();
}

export async function deleteBlock(db: Db, blockerId: string, blockedId: string): Promise<void> {
  await db.deleteFrom('user_blocks').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).execute();
}

/** The people this user has blocked, most recent first. */
export async function blockedBy(db: Db, blockerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_blocks')
    .select('blocked_id')
    .where('blocker_id', '=', blockerId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => r.blocked_id);
}

/** Which of `candidateIds` have blocked `userId`. */
export async function blockersAmong(db: Db, userId: string, candidateIds: readonly string[]): Promise<Set<string>> {
  if (candidateIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('user_blocks')
    .select('blocker_id')
    .where('blocked_id', '=', userId)
    .where('blocker_id', 'in', [...candidateIds])
    .execute();
  return new Set(rows.map((r) => r.blocker_id));
}
