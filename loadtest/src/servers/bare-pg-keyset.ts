// The history baseline: node:http and one query, nothing else — no auth, no membership check, no tRPC.
// GET /history?room=<id>&before=<seq>&limit=<n> answers the room's messages below `before`, newest first, as
// JSON (keyset); GET /history-offset?room=<id>&offset=<n>&limit=<n> the same page by OFFSET, as the seed
// project paged. It opens the database the API would (DATABASE_URL, or PGlite in DATA_DIR) with the API's own
// adapter and pool size, and runs plain SQL on it.
import http from 'node:http';
import { CompiledQuery } from 'kysely';
import { createPgDatabase, createPgliteDatabase } from '../api/internals.ts';

const COLUMNS = 'id, room_id, seq, sender_id, body, client_id, created_at, edited_at, deleted_at';
const QUERIES: Record<string, { sql: string; position: string }> = {
  '/history': { sql: `select ${COLUMNS} from messages where room_id = $1 and seq < $2 order by seq desc limit $3`, position: 'before' },
  '/history-offset': { sql: `select ${COLUMNS} from messages where room_id = $1 order by seq desc offset $2 limit $3`, position: 'offset' },
};

const database = process.env.DATABASE_URL
  ? createPgDatabase({ url: process.env.DATABASE_URL, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 20) })
  : await createPgliteDatabase({ dataDir: process.env.DATA_DIR! });

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const query = QUERIES[url.pathname];
  if (!query) return void res.writeHead(404).end();
  const params = [url.searchParams.get('room'), Number(url.searchParams.get(query.position)), Number(url.searchParams.get('limit') ?? 30)];
  database.db.executeQuery(CompiledQuery.raw(query.sql, params)).then(
    ({ rows }) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ items: rows }));
    },
    (error: unknown) => {
      res.writeHead(500).end(String(error));
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ msg: 'listening', port: typeof address === 'object' && address ? address.port : 0 }));
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void database.close().then(() => process.exit(0)));
});
