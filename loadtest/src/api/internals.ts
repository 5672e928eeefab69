// The load generator prepares the API's database with the API's own code (adapters, migrations, session and
// token signers), so its rows and tokens are exactly what the server expects. These are not public exports of
// @youngchat/api, hence the relative paths, all in this one file.
export { createPgliteDatabase } from '../../../apps/api/src/adapters/embedded/pglite-database.ts';
export { createSqlKeyValue } from '../../../apps/api/src/adapters/embedded/sql-key-value.ts';
export { migrateToLatest } from '../../../apps/api/src/adapters/postgres/migrator.ts';
export { createPgDatabase } from '../../../apps/api/src/adapters/postgres/pg-database.ts';
export { createRedisKeyValue } from '../../../apps/api/src/adapters/redis/redis-key-value.ts';
export { createAccessTokens } from '../../../apps/api/src/modules/auth/access-token.ts';
export { createRefreshTokens } from '../../../apps/api/src/modules/auth/refresh-tokens.ts';
export type { Database, Db } from '../../../apps/api/src/ports/database.ts';
export type { KeyValueStore } from '../../../apps/api/src/ports/key-value.ts';
export { directKey } from '../../../apps/api/src/modules/rooms/rooms.repository.ts';
export { pagesOf } from '../../../apps/api/src/modules/messages/messages.repository.ts';
export type { DatabaseSchema } from '../../../apps/api/src/ports/database.ts';
