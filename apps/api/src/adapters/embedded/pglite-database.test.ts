import { afterAll, beforeAll, describe } from 'vitest';
import { databaseContract } from '../../../test/contracts/database.contract.ts';
import type { Database } from '../../ports/database.ts';
import { createPgliteDatabase } from './pglite-database.ts';

describe('PGlite database adapter', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createPgliteDatabase({ dataDir: 'memory' });
  });
  afterAll(() => database?.close());
  databaseContract(() => database);
});
