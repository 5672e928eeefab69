import { sql, type Selectable } from 'kysely';
import type { Db, UsersTable } from '../../ports/database.ts';

/** Public columns only: the password hash is selected in exactly one place, findCredentials. */
const PUBLIC_COLUMNS = ['id', 'email', 'nickname', 'status_message', 'avatar_key', 'created_at', 'deleted_at'] as const;

export type UserRow = Pick<Selectable<UsersTable>, (typeof PUBLIC_COLUMNS)[number]>;

export async function insertUser(
  db: Db,
  user: { id: string; email: string; passwordHash: string; nickname: string },
): Promise<UserRow | undefined> {
  // A concurrent verification of the same email loses quietly instead of failing.
  return db
    .insertInto('users')
    .values({ id: user.id, email: user.email, password_hash: user.passwordHash, nickname: user.nickname })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function emailExists(db: Db, email: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  return row !== undefined;
}

/** A live account's row with its password hash, by email or by id. */
export function findCredentials(db: Db, by: { email: string } | { id: string }) {
  return db
    .selectFrom('users')
    .select([...PUBLIC_COLUMNS, 'password_hash'])
    .where((eb) => ('email' in by ? eb('email', '=', by.email) : eb('id', '=', by.id)))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/**
 * A deleted account keeps its row, so its messages keep a sender; its profile goes, and its email stays taken until
 * `freeDeletedEmails`. Returns the avatar key to delete, or undefined when there was no live account.
 */
export async function markDeleted(db: Db, id: string): Promise<{ avatarKey: string | null } | undefined> {
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('users').select('avatar_key').where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!before) return undefined;
    await tx
      .updateTable('users')
      .set({ nickname: '', status_message: '', avatar_key: null, password_hash: '!', deleted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
    return { avatarKey: before.avatar_key };
  });
}

/** After the grace period a deleted account's email may sign up again: it is replaced by one that cannot exist. */
export async function freeDeletedEmails(db: Db, deletedBefore: Date): Promise<number> {
  const result = await db
    .updateTable('users')
    .set({ email: sql<string>`'deleted+' || id || '@invalid'` })
    .where('deleted_at', '<', deletedBefore)
    .where('email', 'not like', 'deleted+%@invalid')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function updateProfile(
  db: Db,
  id: string,
  changes: { nickname?: string; status_message?: string },
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}

/** Sets the avatar key and returns the previous one, so the caller can delete the old object. */
export async function replaceAvatarKey(
  db: Db,
  id: string,
  avatarKey: string | null,
): Promise<{ user: UserRow; previousKey: string | null } | undefined> {
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('users').select('avatar_key').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) return undefined;
    const user = await tx
      .updateTable('users')
      .set({ avatar_key: avatarKey, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
    return { user, previousKey: before.avatar_key };
  });
}

/** Nickname prefix (case-insensitive) or exact email of live accounts; never OFFSET, never more than `limit`. */
export function searchUsers(db: Db, query: string, limit: number): Promise<UserRow[]> {
  const prefix = `${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('users')
    .select(PUBLIC_COLUMNS)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb(sql`lower(nickname)`, 'like', prefix), eb('email', '=', query.toLowerCase())]),
    )
    .orderBy(sql`lower(nickname)`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function findUsersByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', 'in', [...ids]).execute();
}
