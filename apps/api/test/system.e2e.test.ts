import { TRPCClientError } from '@trpc/client';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppRouter } from '../src/index.ts';
import { createAccount, httpClient, wsClient } from './clients.ts';
import { realServicesEnv, startTestServer, type TestServer } from './harness.ts';
import { describeWithServices } from './services.ts';

/** GET with the path sent exactly as given (fetch would normalise `..` away). */
function rawGetStatus(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
}

/** The first answer to one raw tRPC message on a fresh anonymous WebSocket. */
function rawAnswer(server: TestServer, message: unknown): Promise<{ error?: { data?: { appCode?: string } } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl);
    ws.on('open', () => ws.send(JSON.stringify(message)));
    ws.on('message', (raw) => {
      resolve(JSON.parse(raw.toString()));
      ws.close();
    });
    ws.on('error', reject);
  });
}

function chainSuite(mode: 'embedded' | 'real', getServer: () => TestServer) {
  const expected =
    mode === 'embedded'
      ? { database: 'pglite', keyValue: 'sql', eventBus: 'in-process', mailer: 'console', blobStore: 'disk' }
      : { database: 'postgres', keyValue: 'redis', eventBus: 'rabbitmq', mailer: 'console', blobStore: 'disk' };

  it('answers system.info over HTTP with the adapters in use', async () => {
    const info = await httpClient(getServer()).system.info.query();
    expect(info.name).toBe('YOUng Chat');
    expect(info.adapters).toEqual(expected);
    expect(Date.parse(info.serverTime)).not.toBeNaN();
  });

  it('answers system.info over WebSocket', async () => {
    const { socket, client } = wsClient(getServer());
    try {
      expect((await client.system.info.query()).instanceId).toBe(getServer().deps.config.instanceId);
    } finally {
      await socket.close();
    }
  });

  it('streams nothing to an anonymous socket: no anonymous subscription exists to amplify load', async () => {
    // system.ticks let one anonymous socket run thousands of timers; it is gone.
    const ticks = await rawAnswer(getServer(), { id: 1, method: 'subscription', params: { path: 'system.ticks', input: { intervalMs: 20 } } });
    expect(ticks.error?.data?.appCode).toBe('NOT_FOUND');
    const live = await rawAnswer(getServer(), { id: 1, method: 'subscription', params: { path: 'events.live', input: {} } });
    expect(live.error?.data?.appCode).toBe('UNAUTHORIZED');
  });

  it('refuses bad input over WebSocket with a typed appCode and field issues, never a 500', async () => {
    const me = await createAccount(getServer());
    const { socket, client } = wsClient(getServer(), () => me.accessToken);
    try {
      const failure = await client.users.search.query({ query: '' }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TRPCClientError);
      const data = (failure as TRPCClientError<AppRouter>).data as { appCode?: string; issues?: { path: string }[] };
      expect(data.appCode).toBe('BAD_INPUT');
      expect(data.issues?.[0]?.path).toBe('query');
    } finally {
      await socket.close();
    }
  });

  it('answers an unknown procedure with NOT_FOUND, and stacks never leave the server', async () => {
    const res = await fetch(`${getServer().url}/trpc/system.nope`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(JSON.parse(text).error.data.appCode).toBe('NOT_FOUND');
    expect(text).not.toMatch(/stack|at .*\.ts:\d+/);
  });

  it('reports every dependency as up on /healthz', async () => {
    const res = await fetch(`${getServer().url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; dependencies: Record<string, { kind: string; status: string }> };
    expect(body.status).toBe('ok');
    expect(Object.fromEntries(Object.entries(body.dependencies).map(([k, v]) => [k, v.kind]))).toEqual({
      ...expected,
      rateLimiter: mode === 'embedded' ? 'memory' : 'redis',
    });
    expect(Object.values(body.dependencies).every((d) => d.status === 'up')).toBe(true);
  });
}

describe('the whole chain, embedded mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  chainSuite('embedded', () => server);

  it('tags each request with a traceId in the x-trace-id header and on every log line it causes', async () => {
    const res = await fetch(`${server.url}/trpc/system.info`);
    const traceId = res.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = server.logs.lines.filter((l) => l.traceId === traceId);
    expect(lines.some((l) => l.path === 'system.info' && l.msg === 'call')).toBe(true);
  });

  it('gives each WebSocket message its own traceId on the log lines it causes', async () => {
    const { socket, client } = wsClient(server);
    try {
      await client.system.info.query();
      await client.system.info.query();
      const calls = server.logs.lines.filter((l) => l.path === 'system.info' && l.msg === 'call' && l.transport === 'ws');
      expect(calls.length).toBeGreaterThanOrEqual(2);
      const ids = calls.slice(-2).map((l) => l.traceId);
      expect(ids[0]).toEqual(expect.any(String));
      expect(ids[0]).not.toBe(ids[1]);
    } finally {
      await socket.close();
    }
  });

  it('serves Prometheus metrics: HTTP and WebSocket counters, open sockets, event-loop lag', async () => {
    const { socket, client } = wsClient(server);
    await client.system.info.query();
    const text = await (await fetch(`${server.url}/metrics`)).text();
    await socket.close();
    expect(text).toMatch(/^http_requests_total\{method="GET",route="trpc",status="200"\} \d+/m);
    expect(text).toMatch(/^ws_open_sockets 1$/m);
    expect(text).toMatch(/^ws_messages_received_total [1-9]\d*$/m);
    expect(text).toMatch(/^ws_messages_sent_total [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  it('refuses a WebSocket upgrade from a foreign Origin', async () => {
    const foreign = new WebSocket(server.wsUrl, { headers: { Origin: 'https://evil.example' } });
    foreign.on('error', () => {}); // the refusal itself
    const status = await new Promise<number | undefined>((resolve) => {
      foreign.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      foreign.once('open', () => resolve(undefined));
    });
    foreign.terminate();
    expect(status).toBe(403);
  });

  it('closes a socket that sends a frame over the size limit', async () => {
    const raw = new WebSocket(server.wsUrl);
    await new Promise((resolve) => raw.once('open', resolve));
    const code = await new Promise<number>((resolve) => {
      raw.once('close', (c) => resolve(c));
      raw.send('x'.repeat(65 * 1024));
    });
    expect(code).toBe(1009);
  });

  it('serves stored files with nosniff and a sandboxing CSP, and nothing outside the store', async () => {
    await server.deps.blobStore.put('avatars/u1/f.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    const res = await fetch(`${server.url}/files/avatars/u1/f.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    for (const probe of ['/files/../../jwt-secret', '/files/%2e%2e/%2e%2e/jwt-secret', '/files/%E0%A4%A', '/files/avatars/u1/F.PNG', '/files/']) {
      expect(await rawGetStatus(server.port, probe), probe).toBe(404);
    }
  });

  it('serves the dev outbox only to loopback clients', async () => {
    const res = await fetch(`${server.url}/dev/outbox?format=json`);
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
  });
});

describe('without a built web app', () => {
  let server: TestServer;
  let emptyDir: string;
  beforeAll(async () => {
    emptyDir = await mkdtemp(path.join(os.tmpdir(), 'yc-no-spa-'));
    server = await startTestServer({ STATIC_DIR: emptyDir });
  });
  afterAll(async () => {
    await server?.close();
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('still starts: the API answers, and pages say how to build the SPA', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await httpClient(server).system.info.query()).name).toBe('YOUng Chat');
    const page = await fetch(`${server.url}/some/page`);
    expect(page.status).toBe(503);
    expect(await page.text()).toMatch(/not built yet/);
  });
});

await describeWithServices('the whole chain, real-services mode', ['postgres', 'redis', 'rabbitmq'], () => {
  let server: TestServer;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const real = await realServicesEnv();
    cleanup = real.cleanup;
    server = await startTestServer(real.env);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  chainSuite('real', () => server);
});
