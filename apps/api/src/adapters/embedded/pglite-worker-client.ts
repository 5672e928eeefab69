import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { DependencyUnavailableError } from '../../ports/dependency.ts';
import { deserializeError, type QueryResult, type WorkerCommand, type WorkerReply } from './pglite-worker.protocol.ts';

/** The modules beside this one: `.ts` when run by tsx or vitest, `.js` once compiled. */
const EXTENSION = path.extname(fileURLToPath(import.meta.url));
const WORKER_URL = new URL(`./pglite.worker${EXTENSION}`, import.meta.url);
const INITDB_URL = new URL(`./pglite-initdb${EXTENSION}`, import.meta.url);

/**
 * Creates PGlite's database in `dataDir` in a child process. initdb grows the memory of the thread it runs in to
 * ~800 MB, and neither its WASM heap nor the malloc arenas of that thread go back to the OS until the process
 * exits, even once the thread has ended (decision 0008).
 */
export async function initPgliteInChildProcess(dataDir: string): Promise<void> {
  // From source (tests, npm run dev) initdb stays in the thread: only the running app's memory matters, and every
  // test server would pay for one more process.
  if (EXTENSION === '.ts') return;
  // Its stdout would mix with the server's JSON log lines; what it says on failure goes to stderr. It runs with the
  // server's node flags (npm start's --optimize-for-size: ~780 MB at its peak instead of ~900).
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(INITDB_URL), dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`PGlite could not create its database in ${dataDir} (exit code ${code})`);
}

/**
 * The worker's young generation, capped: its objects (requests, result rows on their way to the main thread) die at
 * once, and V8 would otherwise grow it to tens of MB under a burst of queries (5,000 clients connecting) and keep
 * that in RSS for good.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 4 };

/**
 * Starts the thread PGlite runs in. Node 20 applies neither the parent's tsx loader nor `--import tsx` in
 * `execArgv` to a worker's entry module, so a TypeScript worker registers tsx itself before loading it. tsx's
 * CommonJS hook, because it runs in the worker's own thread: its ESM hooks would start one more loader thread
 * (~30 MB RSS). The worker therefore uses no ESM-only syntax (top-level await, import.meta).
 */
export function spawnPgliteWorker(): Worker {
  // V8 compiles PGlite's 9 MB of WASM on every thread of its pool, and each thread's malloc arena keeps what it
  // used: ~60 MB of RSS for good. PGlite is the process's only WASM and is compiled lazily: one thread does.
  v8.setFlagsFromString('--wasm-num-compilation-tasks=1');
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { resourceLimits: WORKER_HEAP });
  const tsx = JSON.stringify(fileURLToPath(import.meta.resolve('tsx/cjs/api')));
  return new Worker(`require(${tsx}).register(); require(${JSON.stringify(fileURLToPath(WORKER_URL))});`, { eval: true, resourceLimits: WORKER_HEAP });
}

/** PGlite in a worker thread, request by request. The worker runs requests in the order they are sent. */
export interface PgliteWorkerClient {
  /** With `txId`, inside that transaction; without, after any open transaction ends (PGlite's own lock). */
  query(sql: string, params: readonly unknown[], txId?: number): Promise<QueryResult>;
  /**
   * Opens an exclusive transaction and returns its id at once: its queries can follow without waiting for
   * BEGIN (one round trip fewer), and they, or `end`, report a BEGIN that failed.
   */
  begin(): number;
  end(txId: number, commit: boolean): Promise<void>;
  /** Lets what was sent finish, closes PGlite (flushing it to disk), then ends the thread. */
  close(): Promise<void>;
}

interface Pending {
  resolve(value: QueryResult | undefined): void;
  reject(error: Error): void;
}

/** Talks to a worker started by `spawnPgliteWorker`, and opens the database before resolving. */
export async function connectPgliteWorker(worker: Worker, options: { dataDir: string | 'memory' }): Promise<PgliteWorkerClient> {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  /** Set once the worker is gone (closed or crashed): every request from then on fails with it. */
  let gone: Error | undefined;

  const fail = (error: Error) => {
    gone ??= error;
    for (const request of pending.values()) request.reject(gone);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const request = pending.get(reply.id);
    pending.delete(reply.id);
    // Like PGlite on the main thread, an idle database does not keep the process alive.
    if (pending.size === 0) worker.unref();
    if (reply.ok) request?.resolve(reply.value);
    else request?.reject(deserializeError(reply.error));
  });
  worker.on('error', (error) => fail(new DependencyUnavailableError('database', { cause: error })));
  worker.on('exit', (code) =>
    fail(new DependencyUnavailableError('database', { cause: new Error(`the PGlite worker exited with code ${code}`) })),
  );

  function send(command: WorkerCommand, id = nextId++): Promise<QueryResult | undefined> {
    if (gone) return Promise.reject(gone);
    return new Promise((resolve, reject) => {
      try {
        worker.postMessage({ ...command, id });
      } catch (error) {
        reject(error as Error); // a parameter that cannot be cloned
        return;
      }
      pending.set(id, { resolve, reject });
      worker.ref();
    });
  }

  try {
    await send({ op: 'open', dataDir: options.dataDir });
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  return {
    query: async (sql, params, txId) => (await send({ op: 'query', sql, params, txId }))!,
    begin() {
      const txId = nextId++;
      send({ op: 'begin' }, txId).catch(() => {}); // reported by the transaction's queries and its end
      return txId;
    },
    async end(txId, commit) {
      await send({ op: 'end', txId, commit });
    },
    async close() {
      if (gone) return;
      try {
        await send({ op: 'close' });
      } finally {
        gone ??= new Error('the database is closed');
        await worker.terminate();
      }
    },
  };
}
