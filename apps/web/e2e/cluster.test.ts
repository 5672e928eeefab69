/**
 * Through nginx, as `npm run cluster` runs it (deploy/nginx/youngchat.conf in front of two instances on PostgreSQL,
 * Redis and RabbitMQ): two people chat in real Chromium while the instance carrying one of them restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithServices, realServicesEnv, uniqueName } from '../../api/test/services.ts';
import { startCluster, type Cluster } from '../../../scripts/cluster.mjs';
import { apiPerson, launchChromium, logInThroughUi, messageItem, openPage, send, type WatchedPage } from './support.ts';

/** Open WebSockets on one instance, from its own /metrics (nginx would answer for either). */
async function openSockets(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^ws_open_sockets (\d+)/m.exec(text)?.[1] ?? 0);
}

/** The conversation's words, top to bottom. */
const conversation = (page: Page) => page.getByRole('log', { name: 'Messages' }).locator('li.message .message-body').allTextContents();

await describeWithServices('a cluster behind nginx', ['postgres', 'redis', 'rabbitmq'], () => {
  let cluster: Cluster;
  let services: Awaited<ReturnType<typeof realServicesEnv>>;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    services = await realServicesEnv();
    dataDir = mkdtempSync(path.join(tmpdir(), 'youngchat-cluster-e2e-'));
    cluster = await startCluster({
      instances: 2,
      dataDir,
      // Its own RabbitMQ queue names: another cluster may be running on this machine.
      idPrefix: uniqueName('web'),
      env: { ...services.env, NODE_ENV: 'test', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '3000' },
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
    await services?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('two people chat while the instance serving one of them restarts; nothing is lost or repeated', { timeout: 180_000 }, async () => {
    // Accounts through one instance, whose dev outbox holds their codes; everything after goes through nginx.
    const direct = `http://127.0.0.1:${cluster.ports[0]}`;
    const ann = await apiPerson(direct, 'Ann');
    const ben = await apiPerson(direct, 'Ben');
    const room = await ben.client.rooms.openDirect.mutate({ userId: ann.user.id });

    const open = async (person: typeof ann): Promise<WatchedPage> => {
      const watched = await openPage(browser, { viewport: { width: 1280, height: 800 } });
      await logInThroughUi(watched.page, cluster.url, person);
      await watched.page.goto(`${cluster.url}/rooms/${room.id}`);
      await watched.page.getByRole('heading', { level: 1, name: person === ann ? 'Ben' : 'Ann' }).waitFor();
      return watched;
    };
    const [annPage, benPage] = [await open(ann), await open(ben)];
    await send(annPage.page, 'Ann: Hello Ben, through nginx');
    await messageItem(benPage.page, 'Ann: Hello Ben, through nginx').waitFor();

    // Which instance carries a live socket: restart that one (SIGTERM drains and sends its sockets elsewhere).
    await expect.poll(async () => (await Promise.all(cluster.ports.map(openSockets))).reduce((a, b) => a + b, 0)).toBe(2);
    const sockets = await Promise.all(cluster.ports.map(openSockets));
    const serving = sockets.findIndex((n) => n > 0);
    const restarted = cluster.restart(serving, { signal: 'SIGTERM' });
    const said: string[] = ['Ann: Hello Ben, through nginx'];
    for (let i = 1; i <= 3; i++) {
      for (const [page, who] of [
        [annPage.page, 'Ann'],
        [benPage.page, 'Ben'],
      ] as const) {
        const text = `${who}: during the restart ${i}`;
        await send(page, text);
        said.push(text);
      }
    }
    await restarted;
    for (const [page, who] of [
      [annPage.page, 'Ann'],
      [benPage.page, 'Ben'],
    ] as const) {
      const text = `${who}: after the restart`;
      await send(page, text);
      said.push(text);
    }

    // Both see every message once, in one order (the room's), each person's in the order they said them; none is
    // left sending or failed on the sender's side.
    for (const { page } of [annPage, benPage]) {
      await expect.poll(async () => (await conversation(page)).toSorted(), { timeout: 30_000 }).toEqual(said.toSorted());
      await expect.poll(() => page.locator('li.message[data-status="sending"], li.message[data-status="failed"], li.message[data-status="waiting"]').count()).toBe(0);
    }
    const seen = await conversation(annPage.page);
    expect(await conversation(benPage.page)).toEqual(seen);
    for (const who of ['Ann:', 'Ben:']) expect(seen.filter((t) => t.startsWith(who))).toEqual(said.filter((t) => t.startsWith(who)));
    expect((await fetch(`http://127.0.0.1:${cluster.ports[serving]}/healthz`)).status).toBe(200); // back in service
    expect(annPage.problems, cluster.output()).toEqual([]);
    expect(benPage.problems, cluster.output()).toEqual([]);
  });
});
