import { describe, expect, it } from 'vitest';
import { limitedBy, type ResourceUsage } from './bottleneck.ts';

const idle: ResourceUsage = {
  seconds: 10,
  cores: 2,
  server: { name: 'API', busiestMainThreadPct: 20, pct: 25, cpuSeconds: 2.5 },
  services: [
    { name: 'PostgreSQL', singleThreaded: false, pct: 15, cpuSeconds: 1.5 },
    { name: 'Redis', singleThreaded: true, pct: 5, cpuSeconds: 0.5 },
  ],
  generator: { busiestThreadPct: 30, pct: 35, lagP99Ms: 3 },
  machinePct: 40,
  locks: { meanWaiting: 0.1, maxWaiting: 2 },
};

describe('limitedBy', () => {
  it('says nothing saturated when every figure is below the bar', () => {
    expect(limitedBy(idle)).toEqual({ resources: ['nothing saturated'], invalid: false });
  });

  it("names the server's main thread, not its process total, as a Node server's CPU limit", () => {
    const busy = { ...idle, server: { ...idle.server, busiestMainThreadPct: 96, pct: 130 } };
    expect(limitedBy(busy).resources).toEqual(['API CPU 96%']);
    const gcOnly = { ...idle, server: { ...idle.server, busiestMainThreadPct: 70, pct: 120 } };
    expect(limitedBy(gcOnly).resources).toEqual(['nothing saturated']);
  });

  it('marks a saturated generator as an invalid measurement, first', () => {
    const verdict = limitedBy({ ...idle, generator: { busiestThreadPct: 93, pct: 99, lagP99Ms: 80 }, server: { ...idle.server, busiestMainThreadPct: 91 } });
    expect(verdict.invalid).toBe(true);
    expect(verdict.resources).toEqual(['generator CPU 93% (measurement invalid)', 'API CPU 91%']);
  });

  it('names the biggest users of a full machine, and a single-threaded service at its core', () => {
    const full = {
      ...idle,
      machinePct: 97,
      services: [
        { name: 'PostgreSQL', singleThreaded: false, pct: 110, cpuSeconds: 11 },
        { name: 'Redis', singleThreaded: true, pct: 92, cpuSeconds: 9.2 },
      ],
      generator: { busiestThreadPct: 5, pct: 6, lagP99Ms: 1 },
    };
    expect(limitedBy(full).resources).toEqual(['Redis CPU 92%', 'machine CPU 97% of 2 cores (PostgreSQL 110%, Redis 92%, API 25%)']);
  });

  it('calls a full machine filled mostly by other processes an invalid measurement of the target', () => {
    const shared = limitedBy({ ...idle, machinePct: 95 });
    expect(shared.invalid).toBe(true);
    expect(shared.resources).toEqual([
      'machine CPU 95% of 2 cores (other processes 110%, generator 35%, API 25%, PostgreSQL 15%) (measurement invalid: other processes used more than the target)',
    ]);
  });

  it('names a generator whose event loop lags a fifth of the bar, without calling the step invalid', () => {
    const verdict = limitedBy({ ...idle, generator: { busiestThreadPct: 78, pct: 82, lagP99Ms: 31.4 } });
    expect(verdict).toEqual({ resources: ['generator latency (its busiest thread 78% busy, lagging p99 31 ms)'], invalid: false });
    expect(limitedBy({ ...idle, generator: { busiestThreadPct: 78, pct: 82, lagP99Ms: 12 } }).resources).toEqual(['nothing saturated']);
  });

  it('names locks when a backend waits on one on average', () => {
    expect(limitedBy({ ...idle, locks: { meanWaiting: 3.24, maxWaiting: 9 } }).resources).toEqual([
      'locks (3.2 backends waiting on average, 9 at most)',
    ]);
  });
});
