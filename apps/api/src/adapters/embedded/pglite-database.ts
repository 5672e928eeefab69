import { Kysely, sql } from 'kysely';
import type { Database, DatabaseSchema } from '../../ports/database.ts';
import { connectPgliteWorker, spawnPgliteWorker } from './pglite-worker-client.ts';
import { pgliteWorkerDialect } from './pglite-worker-dialect.ts';

/**
 * PostgreSQL compiled to WASM, persisted in DATA_DIR: the laptop default, no server needed.
 * It runs in a worker thread, because each query is synchronous WASM work that would otherwise stall every
 * socket the API serves. One process owns the directory; scale-out needs DATABASE_URL.
 */
export async function createPgliteDatabase(options: { dataDir: string | 'memory' }): Promise<Database> {
  const client = await connectPgliteWorker(spawnPgliteWorker(), options);
  const db = new Kysely<DatabaseSchema>({ dialect: pgliteWorkerDialect(client) });
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
