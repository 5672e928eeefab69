import { describe, expect, it } from 'vitest';
import { DeliveryLedger, LatencyRecorder } from './metrics.ts';

describe('LatencyRecorder', () => {
  it('reports nearest-rank percentiles', () => {
    const r = new LatencyRecorder();
    for (let ms = 100; ms >= 1; ms--) r.record(ms);
    expect(r.summary()).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
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
