import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVERS_DIR } from '../paths.ts';
import { spawnServer, type RunningServer } from '../process-stats.ts';
import type { Delivery } from './chat-clients.ts';
import { clientThreads, type ClientThreads } from './client-threads.ts';

// Four users in one room of the bare server, spread over two client threads: what crosses between the threads
// (connects, sends, answers, deliveries with their arrival times) must come out as if the clients ran here.
describe('client threads', () => {
  let bare: RunningServer;
  let threads: ClientThreads;
  const deliveries = new Map<number, Delivery[]>();
  const notes: string[] = [];

  beforeAll(async () => {
    bare = await spawnServer([path.join(SERVERS_DIR, 'bare-ws-rooms.ts')]);
    threads = clientThreads(2, { kind: 'bare', portOf: [bare.port, bare.port, bare.port, bare.port], roomsOf: [['r0'], ['r0'], ['r0'], ['r0', 'r1']] }, 5_000);
  }, 30_000);
  afterAll(async () => {
    await threads?.close();
    await bare?.stop();
  });

  it('connects, sends and delivers across threads, with arrival times on this thread’s clock', async () => {
    const clients = await Promise.all(
      [0, 1, 2, 3].map((user) =>
        threads.connect(user, { deliver: (d) => deliveries.set(user, [...(deliveries.get(user) ?? []), d]), note: (what) => notes.push(what) }),
      ),
    );
    const stopLag = threads.sampleLag();
    const sentAt = performance.now();
    await clients[0]!.send('r0', 'm1', 'hello');
    await clients[1]!.send('r0', 'm2', 'again');
    await expect(clients[2]!.send('r1', 'm3', 'not mine')).rejects.toThrow('not a member');
    await expect.poll(() => [1, 2, 3].every((u) => deliveries.get(u)?.some((d) => d.clientId === 'm1'))).toBe(true);
    await expect.poll(() => [0, 2, 3].every((u) => deliveries.get(u)?.some((d) => d.clientId === 'm2'))).toBe(true);
    expect(deliveries.get(0)).toEqual([expect.objectContaining({ roomId: 'r0', clientId: 'm2', seq: 2 })]);
    for (const d of [...deliveries.values()].flat()) {
      expect(d.at).toBeGreaterThan(sentAt);
      expect(d.at).toBeLessThanOrEqual(performance.now());
    }
    expect(await stopLag()).toBeGreaterThanOrEqual(0);
    clients[3]!.close();
    await expect(clients[3]!.send('r0', 'm4', 'closed')).rejects.toThrow('client closed');
    expect(notes).toEqual([]);
  });

  it('fails a connect that fails in its thread, with the reason', async () => {
    const nowhere = clientThreads(1, { kind: 'bare', portOf: [1], roomsOf: [['r0']] }, 2_000);
    try {
      await expect(nowhere.connect(0, { deliver: () => {}, note: () => {} })).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await nowhere.close();
    }
  });
});
