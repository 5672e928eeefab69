import { CompiledQuery } from 'kysely';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Db } from '../../ports/database.ts';
import type { RateLimiterFactory } from '../../ports/rate-limiter.ts';
import { wrapLimiter } from '../rate-limiter/verdict.ts';

/**
 * rate-limiter-flexible's Postgres store on the application's own PostgreSQL, through Kysely, so instances
 * that share the database but have no Redis share the limits. The table comes from our migrations
 * (`rate_limits`), not from the library at run time.
 */
export function createSqlRateLimiterFactory(db: Db): RateLimiterFactory {
  const storeClient = {
    // The pg driver's result shape, which the library reads (`rows`, `rowCount`).
    query: async (q: { text: string; values?: unknown[] }) => {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      // PGlite reports 0 affected rows for a SELECT, so rows returned count first.
      return { rows: result.rows, rowCount: result.rows.length || Number(result.numAffectedRows ?? 0) };
    },
  };
  return {
    name: 'rateLimiter',
    kind: 'sql',
    create: (rule) =>
      wrapLimiter(
        new RateLimiterPostgres({
          storeClient,
          storeType: 'client',
          tableName: 'rate_limits',
          tableCreated: true,
          keyPrefix: rule.name,
          points: rule.points,
          duration: rule.durationSec,
          blockDuration: rule.blockSec ?? 0,
        }),
      ),
    check: async () => {
      await db.selectFrom('rate_limits' as never).select('key' as never).limit(1).execute();
    },
    close: async () => {},
  };
}
