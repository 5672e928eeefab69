import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../ports/database.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';

const SWEEP_EVERY_MS = 60_000;

/**
 * The key-value port on the application's own database, for a single instance without Redis.
 * Expired rows are invisible at once (every read checks `expires_at`) and deleted by a periodic sweep.
 */
export function createSqlKeyValue(db: Db, logger?: Logger): KeyValueStore {
  const expiry = (ttlMs: number) => sql<Date>`now() + ${ttlMs} * interval '1 millisecond'`;
  const live = sql<boolean>`kv_entries.expires_at > now()`;

  const sweep = setInterval(() => {
    db.deleteFrom('kv_entries')
      .where('expires_at', '<=', sql<Date>`now()`)
      .execute()
      // Expired rows stay invisible; the next sweep takes them.
      .catch((error: unknown) => logger?.warn({ err: error }, 'sweeping expired key-value entries failed'));
  }, SWEEP_EVERY_MS);
  sweep.unref();

  return {
    name: 'keyValue',
    kind: 'sql',
    async get(key) {
      const row = await db.selectFrom('kv_entries').select('value').where('key', '=', key).where(live).executeTakeFirst();
      return row?.value ?? null;
    },
    async set(key, value, ttlMs) {
      await db
        .insertInto('kv_entries')
        .values({ key, value, expires_at: expiry(ttlMs) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, expires_at: expiry(ttlMs) }))
        .execute();
    },
    async setIfAbsent(key, value, ttlMs) {
      // An expired row counts as absent: overwrite it, but only it.
      const row = await db
        .insertInto('kv_entries')
        .values({ key, value, expires_at: expiry(ttlMs) })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({ value, expires_at: expiry(ttlMs) })
            .where('kv_entries.expires_at', '<=', sql<Date>`now()`),
        )
        .returning('key')
        .executeTakeFirst();
      return row !== undefined;
    },
    async take(key) {
      const row = await db.deleteFrom('kv_entries').where('key', '=', key).where(live).returning('value').executeTakeFirst();
      return row?.value ?? null;
    },
    async delete(key) {
      const row = await db.deleteFrom('kv_entries').where('key', '=', key).where(live).returning('key').executeTakeFirst();
      return row !== undefined;
    },
    async increment(key, ttlMs) {
      const row = await db
        .insertInto('kv_entries')
        .values({ key, value: '1', expires_at: expiry(ttlMs) })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            value: sql<string>`case when ${live} then (kv_entries.value::bigint + 1)::text else '1' end`,
            expires_at: sql<Date>`case when ${live} then kv_entries.expires_at else ${expiry(ttlMs)} end`,
          }),
        )
        .returning('value')
        .executeTakeFirstOrThrow();
      return Number(row.value);
    },
    async ttlMs(key) {
      const row = await db
        .selectFrom('kv_entries')
        .select(sql<number>`ceil(extract(epoch from (expires_at - now())) * 1000)::int`.as('ttl'))
        .where('key', '=', key)
        .where(live)
        .executeTakeFirst();
      return row ? Math.max(row.ttl, 0) : null;
    },
    check: async () => {
      await db.selectFrom('kv_entries').select('key').limit(1).execute();
    },
    close: async () => clearInterval(sweep),
  };
}
