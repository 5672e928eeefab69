import { afterAll, beforeAll, describe } from 'vitest';
import { keyValueContract } from '../../../test/contracts/key-value.contract.ts';
import type { Database } from '../../ports/database.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import { migrateToLatest } from '../postgres/migrator.ts';
import { createPgliteDatabase } from './pglite-database.ts';
import { createSqlKeyValue } from './sql-key-value.ts';

describe('SQL key-value store on PGlite', () => {
  let database: Database;
  let kv: KeyValueStore;
  beforeAll(async () => {
    database = await createPgliteDatabase({ dataDir: 'memory' });
    await migrateToLatest(database.db);
    kv = createSqlKeyValue(database.db);
  });
  afterAll(async () => {
    await kv.close();
    await database.close();
  });
  keyValueContract(() => kv);
});
