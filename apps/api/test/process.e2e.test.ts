import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureServerBuilt, startProcess } from './process.ts';

describe('the API process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-process-'));
    await ensureServerBuilt();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('runs compiled, as plain JavaScript, and logs how long it took to be ready', async () => {
    const run = startProcess({ DATA_DIR: dataDir });
    try {
      const port = await run.listening;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await expect.poll(() => run.lines.find((l) => l.msg === 'ready')?.startupMs).toBeGreaterThan(0);
      expect(run.child.spawnargs.slice(1)).toEqual([expect.stringMatching(/dist\/main\.js$/)]);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('refuses to start on a bad value and names the variable', async () => {
    const run = startProcess({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/PORT/);
  });

  it('says why a service it needs could not be reached, in one line', async () => {
    const run = startProcess({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/did not start: .*database unavailable: connect ECONNREFUSED 127\.0\.0\.1:1/);
  });

  it('on SIGTERM tells WebSocket clients to reconnect, drains, closes adapters and exits 0', async () => {
    const run = startProcess({ DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: '1000' });
    let child: ChildProcess | undefined = run.child;
    try {
      const port = await run.listening;
      const socket = new WebSocket(`ws://127.0.0.1:${port}/trpc`);
      const messages: string[] = [];
      socket.on('message', (m) => messages.push(m.toString()));
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise((resolve) => socket.once('close', resolve));

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      child = undefined;
      await closed;
      expect(messages.map((m) => JSON.parse(m))).toContainEqual({ id: null, method: 'reconnect' });
      expect(run.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    } finally {
      child?.kill('SIGKILL');
    }
  });

  it('keeps its data in DATA_DIR across a restart', async () => {
    const secret = await readFile(path.join(dataDir, 'jwt-secret'), 'utf8');
    const run = startProcess({ DATA_DIR: dataDir });
    try {
      const port = await run.listening;
      // The migrations were applied by the first run; a restart finds the same database.
      expect(run.lines.some((l) => l.msg === 'migrations applied')).toBe(false);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await readFile(path.join(dataDir, 'jwt-secret'), 'utf8')).toBe(secret);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
