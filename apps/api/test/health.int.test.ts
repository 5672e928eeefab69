import { afterAll, beforeAll, expect, it } from 'vitest';
import { appCodeOf, createAccount, httpClient } from './clients.ts';
import { startServerBehindDatabaseProxy, startTestServer, type TestServer } from './harness.ts';
import { SERVICES, describeWithServices, uniqueName } from './services.ts';
import { proxyInFrontOf, throughProxy, type TcpProxy } from './tcp-proxy.ts';
import { until } from './wait.ts';

await describeWithServices('/healthz with a dependency down', ['redis'], () => {
  let proxy: TcpProxy;
  let server: TestServer;
  beforeAll(async () => {
    proxy = await proxyInFrontOf(SERVICES.redis);
    server = await startTestServer({
      REDIS_URL: throughProxy(SERVICES.redis, proxy),
      REDIS_KEY_PREFIX: `${uniqueName('yc_test')}:`,
    });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  it('answers 503 naming the dependency while it is down, and 200 once it is back', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    proxy.cut();
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; dependencies: Record<string, { status: string }> };
    expect(body.status).toBe('degraded');
    expect(body.dependencies.keyValue?.status).toBe('down');
    expect(body.dependencies.database?.status).toBe('up');

    proxy.restore();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await fetch(`${server.url}/healthz`)).status) !== 200) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  });

  it('answers a valid token it cannot check (the store is down) with SERVICE_UNAVAILABLE, never UNAUTHORIZED', async () => {
    const ann = await createAccount(server);
    const me = () => httpClient(server, { accessToken: ann.accessToken }).auth.me.query();
    proxy.cut();
    expect(await appCodeOf(me())).toBe('SERVICE_UNAVAILABLE');
    proxy.restore();
    await until(async () => (await me().then(() => true, () => false)), 10_000);
  });
});

await describeWithServices('a call while the database is unreachable', ['postgres', 'redis'], () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ server, proxy, close } = await startServerBehindDatabaseProxy());
  });
  afterAll(() => close?.());

  it('answers SERVICE_UNAVAILABLE (503) with a time to retry, not INTERNAL, and works again once it is back', async () => {
    const login = () => httpClient(server).auth.login.mutate({ email: 'nobody@example.com', password: 'correct horse battery staple', session: 'token' });
    expect(await appCodeOf(login())).toBe('INVALID_CREDENTIALS');
    proxy.cut();
    const response = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'correct horse battery staple' }),
    });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { data: { appCode: string; retryAfterMs: number } } };
    expect(body.error.data).toMatchObject({ appCode: 'SERVICE_UNAVAILABLE', retryAfterMs: expect.any(Number) });
    proxy.restore();
    expect(await appCodeOf(login())).toBe('INVALID_CREDENTIALS');
  });
});
