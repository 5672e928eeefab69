import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../ports/dependency.ts';
import { connectPgliteWorker, spawnPgliteWorker } from './pglite-worker-client.ts';

describe('PGlite worker client', () => {
  it('lets a running query finish on close, then refuses new ones', async () => {
    const client = await connectPgliteWorker(spawnPgliteWorker(), { dataDir: 'memory' });
    const running = client.query('select pg_sleep(0.3) as slept', []);
    await client.close();
    await expect(running).resolves.toMatchObject({ rows: [{ slept: '' }] });
    await expect(client.query('select 1', [])).rejects.toThrow('the database is closed');
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('rejects pending and later queries when the worker dies, rather than leaving them hanging', async () => {
    const worker = spawnPgliteWorker();
    const client = await connectPgliteWorker(worker, { dataDir: 'memory' });
    const running = client.query('select pg_sleep(3)', []);
    await worker.terminate();
    await expect(running).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(client.query('select 1', [])).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('reports a data directory it cannot open, and ends the thread', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'yc-pglite-'));
    try {
      // A file where PGlite's directory should be.
      await writeFile(path.join(dir, 'pglite'), '');
      const worker = spawnPgliteWorker();
      await expect(connectPgliteWorker(worker, { dataDir: dir })).rejects.toThrow();
      expect(worker.threadId).toBe(-1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
