import path from 'node:path';

/** Where PGlite keeps its files inside DATA_DIR. */
export const pgliteDir = (dataDir: string) => path.join(dataDir, 'pglite');

/** What the main thread asks of the PGlite worker. Every request gets exactly one reply with its `id`. */
export type WorkerRequest = { id: number } & WorkerCommand;

export type WorkerCommand =
  | { op: 'open'; dataDir: string | 'memory' }
  /** `txId` (the id of the `begin` request) runs the query inside that transaction. */
  | { op: 'query'; sql: string; params: readonly unknown[]; txId?: number }
  | { op: 'begin' }
  | { op: 'end'; txId: number; commit: boolean }
  | { op: 'close' };

export interface QueryResult {
  rows: unknown[];
  affectedRows?: number;
}

export type WorkerReply =
  | { id: number; ok: true; value: QueryResult | undefined }
  | { id: number; ok: false; error: SerializedError };

// The fields PostgreSQL sends with an error (pg and PGlite name them alike). Structured cloning keeps only an
// Error's message and stack, and services decide on `code`, so they cross the thread boundary one by one.
const PG_ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

export type SerializedError = { name: string; message: string } & Partial<Record<(typeof PG_ERROR_FIELDS)[number], string>>;

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const serialized: SerializedError = { name: error.name, message: error.message };
  for (const field of PG_ERROR_FIELDS) {
    const value: unknown = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string') serialized[field] = value;
  }
  return serialized;
}

/** An Error with the worker's message and PostgreSQL fields, and a stack from the main thread's caller. */
export function deserializeError(serialized: SerializedError): Error {
  return Object.assign(new Error(serialized.message), serialized);
}
