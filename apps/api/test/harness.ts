import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.ts';
import { buildDeps, type AppDeps } from '../src/deps.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { SERVICES, createTestDatabase, uniqueName } from './services.ts';
import { proxyInFrontOf, throughProxy, type TcpProxy } from './tcp-proxy.ts';
export { realServicesEnv } from './services.ts';

/** Keeps every JSON log line a server writes, so tests can assert on logs. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(JSON.parse(line));
    done();
  }
}

export interface TestServer extends RunningServer {
  deps: AppDeps;
  logs: LogCapture;
  wsUrl: string;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1:0 with its own DATA_DIR; `env` selects adapters as in production. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    SHUTDOWN_GRACE_MS: '2000',
    ...env,
  });
  const logs = new LogCapture();
  const deps = await buildDeps(config, { logDestination: logs });
  const server = await startServer(deps);
  return {
    ...server,
    deps,
    logs,
    wsUrl: `ws://127.0.0.1:${server.port}/trpc`,
    async close() {
      await server.shutdown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A real server on a database of its own that it reaches through a TCP proxy the test holds (and on Redis), so the
 * test can cut or stall the database as the server sees it. `close` stops the server, the proxy and drops the database.
 */
export async function startServerBehindDatabaseProxy(): Promise<{ server: TestServer; proxy: TcpProxy; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const proxy = await proxyInFrontOf(database.url);
  const server = await startTestServer({ DATABASE_URL: throughProxy(database.url, proxy), REDIS_URL: SERVICES.redis, REDIS_KEY_PREFIX: `${uniqueName('yc_test')}:` });
  return {
    server,
    proxy,
    async close() {
      await server.close();
      await proxy.close();
      await database.drop();
    },
  };
}
