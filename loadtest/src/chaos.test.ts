// The short versions of two chaos scenarios (the whole set: `npm run loadtest -- --scenario chaos`): a cluster of two
// instances behind nginx under steady traffic, one instance killed with SIGKILL, then RabbitMQ cut. Correctness
// only: nothing lost, duplicated or reordered, /healthz honest during the cut; no timing is asserted.
import { expect, it } from 'vitest';
import { describeWithServices, SERVICES } from '../../apps/api/test/services.ts';
import { runChaos } from './scenarios/chaos.ts';

await describeWithServices('chaos, short', ['postgres', 'redis', 'rabbitmq'], () => {
  it('loses, repeats and reorders nothing when an instance is killed and when RabbitMQ is cut', { timeout: 240_000 }, async () => {
    const results = await runChaos({
      users: 60,
      roomSize: 10,
      rate: 30,
      seconds: 2,
      faults: ['kill', 'broker'],
      faultSeconds: 3,
      databaseUrl: SERVICES.postgres,
      redisUrl: SERVICES.redis,
      amqpUrl: SERVICES.rabbitmq,
    });
    expect(results.map((r) => r.fault)).toEqual(['kill', 'broker']);
    for (const r of results) {
      expect(r.acknowledged, r.fault).toBeGreaterThan(0);
      expect({ fault: r.fault, lost: r.lost, duplicated: r.duplicated, outOfOrder: r.outOfOrder, persisted: r.persisted, delivered: r.delivered }).toEqual({
        fault: r.fault,
        lost: 0,
        duplicated: 0,
        outOfOrder: 0,
        persisted: r.acknowledged,
        delivered: r.owed,
      });
      expect(r.receiversComplete, r.fault).toBe(r.receivers);
    }
    const broker = results[1]!;
    expect(broker.healthDuring.get(503), '/healthz says 503 while RabbitMQ is cut').toBeGreaterThan(0);
    expect(broker.healthyAfterMs, 'every instance healthy again by itself').not.toBeNull();
  });
});
