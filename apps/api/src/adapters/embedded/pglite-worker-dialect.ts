import {
  PGliteAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { PgliteWorkerClient } from './pglite-worker-client.ts';

/**
 * Kysely's PGliteAdapter has queries wait their turn on the main thread, one at a time. The worker's PGlite
 * orders them itself (and keeps transactions exclusive), so they may be sent at once: the next query is queued
 * in the worker while the main thread handles the previous answer, instead of costing another round trip.
 */
class PgliteWorkerAdapter extends PGliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

class PgliteWorkerConnection implements DatabaseConnection {
  #txId: number | undefined;

  constructor(private readonly client: PgliteWorkerClient) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const { rows, affectedRows } = await this.client.query(query.sql, query.parameters, this.#txId);
      return { rows: rows as R[], numAffectedRows: affectedRows === undefined ? undefined : BigInt(affectedRows) };
    } catch (error) {
      // The error was built when the worker's answer arrived; a stack taken here names the caller.
      throw Object.assign(error as Error, { stack: new Error((error as Error).message).stack });
    }
  }

  streamQuery(): never {
    throw new Error('Streaming is not supported by PGlite.');
  }

  begin(): void {
    this.#txId = this.client.begin();
  }

  async end(commit: boolean): Promise<void> {
    const txId = this.#txId!;
    this.#txId = undefined;
    await this.client.end(txId, commit);
  }
}

class PgliteWorkerDriver implements Driver {
  constructor(private readonly client: PgliteWorkerClient) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PgliteWorkerConnection(this.client);
  }

  async beginTransaction(connection: PgliteWorkerConnection): Promise<void> {
    connection.begin();
  }

  async commitTransaction(connection: PgliteWorkerConnection): Promise<void> {
    await connection.end(true);
  }

  async rollbackTransaction(connection: PgliteWorkerConnection): Promise<void> {
    await connection.end(false);
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.client.close();
  }
}

/** Kysely on PGlite in a worker thread: PostgreSQL's SQL dialect, queries answered by `client`. */
export function pgliteWorkerDialect(client: PgliteWorkerClient): Dialect {
  return {
    createAdapter: () => new PgliteWorkerAdapter(),
    createDriver: () => new PgliteWorkerDriver(client),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
