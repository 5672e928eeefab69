import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { REUSE_PLAN, type Database, type DatabaseSchema } from '../../ports/database.ts';
import { DependencyUnavailableError } from '../../ports/dependency.ts';

const INT8_OID = 20;
const patched = new WeakSet<pg.PoolClient>();

/** Few texts, each hashed once: hashing the page statement's text on every call was 9 µs of each history page. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) statementNames.set(text, (name = createHash('sha1').update(text).digest('base64url')));
  return name;
}

/**
 * Statements marked REUSE_PLAN go as named prepared statements (named after their text), so each connection plans
 * them once: planning was a third of the send batch's cost. Only marked statements, whose text does not vary with
 * their arguments, so the statements a connection keeps stay few.
 */
function reusePlans(client: pg.PoolClient): pg.PoolClient {
  if (patched.has(client)) return client;
  patched.add(client);
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
  (client as { query: unknown }).query = (text: unknown, values?: unknown) =>
    (typeof text === 'string' && text.startsWith(REUSE_PLAN)
      ? query({ name: statementName(text), text, values })
      : query(text, values)
    ).catch(outageOrBug);
  return client;
}

/**
 * SQLSTATE classes of a server that cannot serve now: 08 connection exception, 53 insufficient resources, 57P0x
 * shutting down or starting. Without a SQLSTATE, the connection itself failed (a socket error, or pg's own
 * "Connection terminated"); any other error is the statement's, a bug to report as such.
 */
const OUTAGE_SQLSTATE = /^(08|53|57P0)/;
const CONNECTION_LOST = /connection terminated|connection error|not queryable|timeout/i;

function outageOrBug(error: unknown): never {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const outage =
    typeof code === 'string'
      ? /^E[A-Z]+$/.test(code) || OUTAGE_SQLSTATE.test(code) // ECONNRESET, EPIPE… or a SQLSTATE
      : typeof message === 'string' && CONNECTION_LOST.test(message);
  throw outage ? new DependencyUnavailableError('database', { cause: error }) : error;
}

export function createPgDatabase(options: { url: string; poolSize: number; logger?: Logger }): Database {
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
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'PostgreSQL dropped an idle connection'));
  // No connection in time (a saturated pool, a server that does not answer) is "busy", not a bug.
  const connect = () =>
    pool.connect().then(reusePlans, (error: unknown) => Promise.reject(new DependencyUnavailableError('database', { cause: error })));
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
