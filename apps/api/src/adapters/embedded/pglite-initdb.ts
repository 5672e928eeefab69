// `node pglite-initdb.js <DATA_DIR>`: creates PGlite's database on a first start, in a process of its own that
// then exits, so that the memory initdb takes goes back to the OS (pglite-database.ts).
import { PGlite } from '@electric-sql/pglite';
import { pgliteDir } from './pglite-worker.protocol.ts';

const pglite = await PGlite.create(pgliteDir(process.argv[2]!));
await pglite.close();
