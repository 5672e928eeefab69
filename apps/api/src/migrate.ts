import { createPgliteDatabase } from './adapters/embedded/pglite-database.ts';
import { migrateToLatest } from './adapters/postgres/migrator.ts';
import { createPgDatabase } from './adapters/postgres/pg-database.ts';
import { loadConfig } from './config.ts';

/** `npm run migrate`: the migrations the server also applies at start, without starting it. */
try {
  const config = loadConfig();
  const database = config.database.url
    ? createPgDatabase({ url: config.database.url, poolSize: 1 })
    : await createPgliteDatabase({ dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'already up to date');
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`migrate failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
