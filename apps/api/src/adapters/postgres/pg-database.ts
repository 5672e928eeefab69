import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database, DatabaseSchema } from '../../ports/database.ts';
import { DependencyUnavailableError } from '../../ports/dependency.ts';

const INT8_OID = 20;

export function createPgDatabase(options: { url: string; poolSize: number }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: (oid: number, format?: unknown) =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // No connection in time (a saturated pool, a server that does not answer) is "busy", not a bug.
  const connect = () => pool.connect().catch((error: unknown) => Promise.reject(new DependencyUnavailableError('database', { cause: error })));
  const db = new Kysely<DatabaseSchema>({
    dialect: new PostgresDialect({ pool: { connect, end: () => pool.end(), options: pool.options } }),
  });
  return {
    name: 'database',
    kind: 'postgres',
    db,
    check: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
