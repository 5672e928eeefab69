import { describe, expect, it } from 'vitest';
import { DeliveryLedger, FanoutLedger, LatencyRecorder } from './metrics.ts';

describe('LatencyRecorder', () => {
  it('reports nearest-rank percentiles', () => {
    const r = new LatencyRecorder();
    for (let ms = 100; ms >= 1; ms--) r.record(ms);
    expect(r.summary()).toEqual({ count: 100, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('reports NaN, not zero, when nothing was measured', () => {
    expect(new LatencyRecorder().summary().p99).toBeNaN();
  });
});

describe('DeliveryLedger', () => {
  it('counts duplicates and gaps per stream', () => {
    const ledger = new DeliveryLedger();
    for (const seq of [1, 2, 2, 4, 3]) ledger.record('a', seq);
    ledger.record('b', 1);
    expect(ledger.received).toBe(4);
    expect(ledger.duplicates).toBe(2); // the second 2, and 3 after 4
    expect(ledger.outOfOrder).toBe(1); // 4 skipped 3
  });
});

describe('FanoutLedger', () => {
  it('owes deliveries only for acknowledged sends, also when a delivery beats its ack', () => {
    const ledger = new FanoutLedger();
    ledger.send('m1', 2, 0);
    ledger.send('m2', 2, 0);
    ledger.deliver('bob', 'r', 'm1', 1, 5);
    ledger.ack('m1');
    expect(ledger).toMatchObject({ expected: 2, lost: 1, received: 1, unanswered: 1, settled: false });
    ledger.deliver('carol', 'r', 'm1', 1, 7);
    ledger.fail();
    expect(ledger).toMatchObject({ expected: 2, arrived: 2, lost: 0, received: 2, unanswered: 0, settled: true });
    expect(ledger.latency.summary()).toMatchObject({ p50: 5, max: 7 });
  });

  it('names the receivers still missing something owed to them', () => {
    const ledger = new FanoutLedger();
    ledger.send('m1', 2, 0, ['bob', 'carol']);
    ledger.send('m2', 2, 0, ['bob', 'dan']);
    ledger.send('m3', 1, 0, ['erin']); // never acknowledged: owed to nobody
    for (const id of ['m1', 'm2']) ledger.ack(id);
    ledger.deliver('bob', 'r', 'm1', 1, 1);
    ledger.deliver('bob', 'r', 'm2', 2, 1);
    expect(ledger.usersMissing()).toBe(2); // carol and dan
    ledger.deliver('carol', 'r', 'm1', 1, 1);
    ledger.deliver('dan', 'r', 'm2', 2, 1);
    expect(ledger.usersMissing()).toBe(0);
  });

  it('counts the same message twice to one user as a duplicate, not a delivery', () => {
    const ledger = new FanoutLedger();
    ledger.send('m1', 2, 0);
    ledger.ack('m1');
    ledger.ack('m1');
    for (const user of ['bob', 'bob', 'carol']) ledger.deliver(user, 'r', 'm1', 1, 1);
    expect(ledger).toMatchObject({ acked: 1, expected: 2, received: 2, duplicates: 1, lost: 0 });
  });

  it('counts a room seq that does not increase for a user as out of order', () => {
    const ledger = new FanoutLedger();
    for (const [id, seq] of [['a', 1], ['b', 3], ['c', 2], ['d', 4]] as const) {
      ledger.send(id, 1, 0);
      ledger.deliver('bob', 'r', id, seq, 1);
    }
    ledger.send('e', 1, 0);
    ledger.deliver('bob', 'other room', 'e', 1, 1);
    expect(ledger).toMatchObject({ received: 5, outOfOrder: 1, duplicates: 0 });
  });

  it('counts what is still missing of acknowledged sends older than a moment', () => {
    const ledger = new FanoutLedger();
    ledger.send('old', 2, 0);
    ledger.send('new', 2, 100);
    ledger.send('unacked', 2, 0);
    ledger.ack('old');
    ledger.ack('new');
    ledger.deliver('bob', 'r', 'old', 1, 5);
    expect(ledger.missingSentBefore(50)).toBe(1);
    expect(ledger.missingSentBefore(200)).toBe(3);
    ledger.deliver('carol', 'r', 'old', 1, 6);
    expect(ledger.missingSentBefore(50)).toBe(0);
  });

  it('fills a gap from a refetch without calling an overlap a duplicate or a reordering', () => {
    const ledger = new FanoutLedger();
    for (const id of ['m1', 'm2', 'm3']) {
      ledger.send(id, 1, 0);
      ledger.ack(id);
    }
    ledger.deliver('bob', 'r', 'm1', 1, 1);
    ledger.deliver('bob', 'r', 'm3', 3, 1);
    for (const id of ['m1', 'm2', 'm3']) ledger.recover('bob', id, 2);
    expect(ledger).toMatchObject({ received: 3, recovered: 1, duplicates: 0, outOfOrder: 0, lost: 0 });
  });

  it('ignores deliveries of messages it never sent', () => {
    const ledger = new FanoutLedger();
    ledger.deliver('bob', 'r', 'stranger', 1, 1);
    expect(ledger).toMatchObject({ received: 0, settled: true });
  });
});
