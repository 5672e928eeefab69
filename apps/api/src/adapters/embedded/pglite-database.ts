import { existsSync } from 'node:fs';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import type { Database, DatabaseSchema } from '../../ports/database.ts';
import { connectPgliteWorker, initPgliteInChildProcess, spawnPgliteWorker } from './pglite-worker-client.ts';
import { pgliteWorkerDialect } from './pglite-worker-dialect.ts';
import { pgliteDir } from './pglite-worker.protocol.ts';

/**
 * PostgreSQL compiled to WASM, persisted in DATA_DIR: the laptop default, no server needed.
 * It runs in a worker thread, because each query is synchronous WASM work that would otherwise stall every
 * socket the API serves. One process owns the directory; scale-out needs DATABASE_URL.
 */
export async function createPgliteDatabase(options: { dataDir: string | 'memory' }): Promise<Database> {
  // A first start: initdb's memory would stay with this process for good.
  if (options.dataDir !== 'memory' && !existsSync(path.join(pgliteDir(options.dataDir), 'PG_VERSION'))) {
    await initPgliteInChildProcess(options.dataDir);
  }
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
