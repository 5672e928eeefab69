import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';
import { SERVICES, describeWithServices, uniqueName } from './services.ts';
import { startTcpProxy } from './tcp-proxy.ts';

await describeWithServices('/healthz with a dependency down', ['redis'], () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let server: TestServer;
  beforeAll(async () => {
    const redis = new URL(SERVICES.redis);
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    server = await startTestServer({
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
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
});
