import { parentPort } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pgliteDir, serializeError, type QueryResult, type WorkerRequest } from './pglite-worker.protocol.ts';

// PGlite runs each query synchronously in WASM; in this thread that blocks nothing the API serves.
const INT8_OID = 20;
const SHARED_BUFFERS = '16MB';

interface OpenTransaction {
  /** Settles once BEGIN has run, which may wait for the transaction before it. */
  begun: Promise<Transaction>;
  /** Lets the transaction commit or roll back; settles when PGlite has done so. */
  end(commit: boolean): Promise<void>;
}

let pglite: PGlite | undefined;
const transactions = new Map<number, OpenTransaction>();

function opened(): PGlite {
  if (!pglite) throw new Error('PGlite is not open');
  return pglite;
}

async function open(dataDir: string | 'memory'): Promise<void> {
  pglite = new PGlite(dataDir === 'memory' ? undefined : pgliteDir(dataDir), {
    // Same shape as the pg adapter: counters fit in a JS number long before they overflow 2^53.
    parsers: { [INT8_OID]: Number },
    // PostgreSQL's default 128 MB buffer pool lives inside the WASM heap and is paid in RSS; the embedded app is
    // one laptop's chat (DESIGN §8: ≤ 256 MB in all), and the OS still caches the files behind it.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  await pglite.waitReady;
}

async function query(sql: string, params: readonly unknown[], txId: number | undefined): Promise<QueryResult> {
  const target = txId === undefined ? opened() : await transactions.get(txId)?.begun;
  if (!target) throw new Error('Transaction is closed');
  const { rows, affectedRows } = await target.query(sql, [...params], { rowMode: 'object' });
  return { rows, affectedRows };
}

/**
 * Opens an exclusive PGlite transaction. The main thread runs its body and may send its queries before BEGIN
 * has run; they wait for `begun`. Until `end`, PGlite's transaction lock keeps queries from outside waiting.
 */
function begin(txId: number): Promise<unknown> {
  let decide!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (decide = resolve));
  let settled!: Promise<void>;
  const begun = new Promise<Transaction>((resolve, reject) => {
    settled = opened().transaction(async (tx) => {
      resolve(tx);
      if (!(await decided)) await tx.rollback();
    });
    settled.catch(reject); // only matters if BEGIN itself failed
  });
  transactions.set(txId, { begun, end: (commit) => (decide(commit), settled) });
  return begun;
}

async function end(txId: number, commit: boolean): Promise<void> {
  const transaction = transactions.get(txId);
  if (!transaction) throw new Error('Transaction is closed');
  transactions.delete(txId);
  await transaction.begun;
  await transaction.end(commit);
}

async function handle(request: WorkerRequest): Promise<QueryResult | void> {
  switch (request.op) {
    case 'open':
      return open(request.dataDir);
    case 'query':
      return query(request.sql, request.params, request.txId);
    case 'begin':
      await begin(request.id);
      return;
    case 'end':
      return end(request.txId, request.commit);
    case 'close':
      // Waits for PGlite's locks, so queries sent earlier finish first; the main thread then ends this thread.
      return opened().close();
  }
}

const port = parentPort!;
port.on('message', (request: WorkerRequest) => {
  handle(request)
    .then((value) => port.postMessage({ id: request.id, ok: true, value }))
    // Also a value that cannot be cloned: the query fails, the thread lives on.
    .catch((error: unknown) => port.postMessage({ id: request.id, ok: false, error: serializeError(error) }));
});
