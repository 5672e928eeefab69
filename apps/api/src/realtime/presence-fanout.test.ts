import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { until } from '../../test/wait.ts';
import { createPresenceFanout } from './presence-fanout.ts';

function harness(options: { fail?: (call: number) => boolean } = {}) {
  const queries: string[][] = [];
  const delivered: { to: string[]; userId: string; online: boolean }[] = [];
  const online = new Set<string>();
  const fanout = createPresenceFanout({
    async contactsOf(userIds) {
      queries.push(userIds);
      if (options.fail?.(queries.length)) throw new Error('database down');
      return new Map(userIds.map((id) => [id, [`friend-of-${id}`]]));
    },
    deliver: (to, event) => event.type === 'presence' && delivered.push({ to, userId: event.userId, online: event.online }),
    isOnline: (userId) => online.has(userId),
    logger: pino({ level: 'silent' }),
    batchSize: 500,
    intervalMs: 5,
  });
  return { fanout, queries, delivered, online };
}

describe('presence fan-out', () => {
  it('costs a bounded number of queries when 10,000 users change at once (an instance starting or dying)', async () => {
    const { fanout, queries, delivered, online } = harness();
    for (let i = 0; i < 10_000; i++) {
      online.add(`u${i}`);
      fanout.changed(`u${i}`);
    }
    await until(() => delivered.length === 10_000, 10_000);
    // The first change goes out alone, at once; the rest in full batches.
    expect(queries.length).toBeLessThanOrEqual(1 + Math.ceil(9_999 / 500));
    expect(Math.max(...queries.map((q) => q.length))).toBeLessThanOrEqual(500);
    expect(new Set(delivered.map((d) => d.userId)).size).toBe(10_000);
    expect(delivered[123]).toEqual({ to: [`friend-of-${delivered[123]!.userId}`], userId: delivered[123]!.userId, online: true });
  });

  it('tells the state at delivery, once, for someone who changed twice while waiting', async () => {
    const { fanout, delivered, online } = harness();
    fanout.changed('first'); // starts a query; what follows waits for the next one
    online.add('ann');
    fanout.changed('ann');
    online.delete('ann');
    fanout.changed('ann');
    await until(() => delivered.some((d) => d.userId === 'ann'));
    await new Promise((r) => setTimeout(r, 30));
    expect(delivered.filter((d) => d.userId === 'ann')).toEqual([{ to: ['friend-of-ann'], userId: 'ann', online: false }]);
  });

  it('goes on after a failed query', async () => {
    const { fanout, delivered } = harness({ fail: (call) => call === 1 });
    fanout.changed('lost');
    fanout.changed('next');
    await until(() => delivered.length === 1);
    expect(delivered[0]!.userId).toBe('next');
  });
});
