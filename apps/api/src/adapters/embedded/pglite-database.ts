import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, sql } from 'kysely';
import type { Database, DatabaseSchema } from '../../ports/database.ts';

const INT8_OID = 20;
const SHARED_BUFFERS = '16MB';

/**
 * PostgreSQL compiled to WASM, persisted in DATA_DIR: the laptop default, no server needed.
 * One process owns the directory; scale-out needs DATABASE_URL.
 */
export async function createPgliteDatabase(options: { dataDir: string | 'memory' }): Promise<Database> {
  const pglite = new PGlite(options.dataDir === 'memory' ? undefined : path.join(options.dataDir, 'pglite'), {
    // Same shape as the pg adapter: counters fit in a JS number long before they overflow 2^53.
    parsers: { [INT8_OID]: Number },
    // PostgreSQL's default 128 MB buffer pool lives inside the WASM heap and is paid in RSS; the embedded app is
    // one laptop's chat (DESIGN §8: ≤ 256 MB in all), and the OS still caches the files behind it.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  await pglite.waitReady;
  const db = new Kysely<DatabaseSchema>({ dialect: new PGliteDialect({ pglite }) });
  return {
    name: 'database',
    kind: 'pglite',
    db,
    check: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
