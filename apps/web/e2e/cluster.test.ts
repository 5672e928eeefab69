/**
 * Through nginx, as `npm run cluster` runs it (deploy/nginx/youngchat.conf in front of two instances on PostgreSQL,
 * Redis and RabbitMQ): two people chat in real Chromium while the instance carrying one of them restarts, and while
 * RabbitMQ is cut and PostgreSQL stalls (each reached through a TCP proxy the test owns).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithServices, realServicesEnv, uniqueName } from '../../api/test/services.ts';
import { proxyInFrontOf, throughProxy, type TcpProxy } from '../../api/test/tcp-proxy.ts';
import { startCluster, type Cluster } from '../../../scripts/cluster.mjs';
import { apiPerson, launchChromium, logInThroughUi, messageItem, openPage, send, type WatchedPage } from './support.ts';

/** Open WebSockets on one instance, from its own /metrics (nginx would answer for either). */
async function openSockets(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^ws_open_sockets (\d+)/m.exec(text)?.[1] ?? 0);
}

/** Open WebSockets on each instance. */
const socketsPerInstance = (cluster: Cluster) => Promise.all(cluster.ports.map(openSockets));

/** The chat's connection words, as a screen reader finds them. */
const connectionWords = (page: Page) => page.getByRole('status', { name: 'Connection' }).textContent();

/** The conversation's words, top to bottom. */
const conversation = (page: Page) => page.getByRole('log', { name: 'Messages' }).locator('li.message .message-body').allTextContents();

await describeWithServices('a cluster behind nginx', ['postgres', 'redis', 'rabbitmq'], () => {
  let cluster: Cluster;
  let services: Awaited<ReturnType<typeof realServicesEnv>>;
  let browser: Browser;
  let dataDir: string;
  let database: TcpProxy;
  let broker: TcpProxy;

  beforeAll(async () => {
    services = await realServicesEnv();
    [database, broker] = await Promise.all([proxyInFrontOf(services.env.DATABASE_URL!), proxyInFrontOf(services.env.AMQP_URL!)]);
    dataDir = mkdtempSync(path.join(tmpdir(), 'youngchat-cluster-e2e-'));
    cluster = await startCluster({
      instances: 2,
      dataDir,
      // Its own RabbitMQ queue names: another cluster may be running on this machine.
      idPrefix: uniqueName('web'),
      env: {
        ...services.env,
        DATABASE_URL: throughProxy(services.env.DATABASE_URL!, database),
        AMQP_URL: throughProxy(services.env.AMQP_URL!, broker),
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        SHUTDOWN_GRACE_MS: '3000',
      },
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
    await Promise.all([database?.close(), broker?.close()]);
    await services?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A person signed in through nginx, in their 1:1 room with `other`. */
  async function openRoom(person: Awaited<ReturnType<typeof apiPerson>>, roomId: string, other: string): Promise<WatchedPage> {
    const watched = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await logInThroughUi(watched.page, cluster.url, person);
    await watched.page.goto(`${cluster.url}/rooms/${roomId}`);
    await watched.page.getByRole('heading', { level: 1, name: other }).waitFor();
    return watched;
  }

  it('two people chat while the instance serving one of them restarts; nothing is lost or repeated', { timeout: 180_000 }, async () => {
    // Accounts through one instance, whose dev outbox holds their codes; everything after goes through nginx.
    const direct = `http://127.0.0.1:${cluster.ports[0]}`;
    const ann = await apiPerson(direct, 'Ann');
    const ben = await apiPerson(direct, 'Ben');
    const room = await ben.client.rooms.openDirect.mutate({ userId: ann.user.id });

    const [annPage, benPage] = [await openRoom(ann, room.id, 'Ben'), await openRoom(ben, room.id, 'Ann')];
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

  it('says what is true while RabbitMQ is cut and PostgreSQL stalls: messages still arrive, a send waits, then goes', { timeout: 180_000 }, async () => {
    const direct = `http://127.0.0.1:${cluster.ports[0]}`;
    const cy = await apiPerson(direct, 'Cy');
    const dee = await apiPerson(direct, 'Dee');
    const room = await cy.client.rooms.openDirect.mutate({ userId: dee.user.id });

    // Each on their own instance, so that what one says reaches the other only across instances. nginx deals
    // requests round the instances (one worker): one request more before a reload lands its socket on the other.
    const before = await socketsPerInstance(cluster);
    const cyPage = await openRoom(cy, room.id, 'Dee');
    const deePage = await openRoom(dee, room.id, 'Cy');
    const added = async () => (await socketsPerInstance(cluster)).map((n, i) => n - before[i]!);
    await expect.poll(async () => (await added()).reduce((a, b) => a + b, 0)).toBe(2);
    for (let reloads = 0; (await added()).some((n) => n !== 1); reloads++) {
      expect(reloads, 'the two sockets never landed on different instances').toBeLessThan(8);
      await fetch(`${cluster.url}/healthz`);
      await deePage.page.reload();
      await deePage.page.getByRole('heading', { level: 1, name: 'Cy' }).waitFor();
      await expect.poll(async () => (await added()).reduce((a, b) => a + b, 0)).toBe(2);
    }
    const health = () => Promise.all(cluster.ports.map(async (port) => (await fetch(`http://127.0.0.1:${port}/healthz`)).status));

    // RabbitMQ cut: the instances say so to nginx, and still find each other's messages in the database (within
    // a second or two), so the app is right to go on saying "Connected".
    broker.cut();
    await expect.poll(health, { timeout: 20_000 }).toEqual([503, 503]);
    await send(cyPage.page, 'Cy: while the broker is cut');
    await messageItem(deePage.page, 'Cy: while the broker is cut').waitFor({ timeout: 10_000 });
    await expect.poll(() => messageItem(cyPage.page, 'Cy: while the broker is cut').getAttribute('data-status')).toBe('sent');
    for (const { page } of [cyPage, deePage]) expect(await connectionWords(page)).toBe('Connected');
    broker.restore();
    await expect.poll(health, { timeout: 30_000 }).toEqual([200, 200]);

    // PostgreSQL stalls: the socket is fine ("Connected"), but a message is not sent until the database answers,
    // and the sender sees that; then it goes, once.
    database.stall();
    try {
      await send(cyPage.page, 'Cy: while the database stalls');
      const waiting = messageItem(cyPage.page, 'Cy: while the database stalls');
      await waiting.waitFor();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(['sending', 'waiting']).toContain(await waiting.getAttribute('data-status'));
      expect(await messageItem(deePage.page, 'Cy: while the database stalls').count()).toBe(0);
      for (const { page } of [cyPage, deePage]) expect(await connectionWords(page)).toBe('Connected');
    } finally {
      database.resume();
    }
    await messageItem(deePage.page, 'Cy: while the database stalls').waitFor({ timeout: 30_000 });
    await expect.poll(() => messageItem(cyPage.page, 'Cy: while the database stalls').getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    await send(deePage.page, 'Dee: all good again');
    await messageItem(cyPage.page, 'Dee: all good again').waitFor();
    for (const { page } of [cyPage, deePage]) {
      expect(await conversation(page)).toEqual(['Cy: while the broker is cut', 'Cy: while the database stalls', 'Dee: all good again']);
      expect(await connectionWords(page)).toBe('Connected');
    }
    expect(cyPage.problems, cluster.output()).toEqual([]);
    expect(deePage.problems, cluster.output()).toEqual([]);
  });
});
