import { describe, expect, it } from 'vitest';
import { mapLimit, sleep, withTimeout } from './pool.ts';
import { promValue } from './process-stats.ts';

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([30, 10, 20, 5, 15], 2, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await sleep(ms);
      inFlight -= 1;
      return i;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});

describe('withTimeout', () => {
  it('rejects naming what timed out', async () => {
    await expect(withTimeout(new Promise(() => {}), 5, 'connect')).rejects.toThrow('connect timed out');
  });
});

describe('promValue', () => {
  it('reads an unlabelled sample, not a longer name sharing its prefix', () => {
    const page = '# HELP x\nnodejs_eventloop_lag_p99_seconds_total 9\nnodejs_eventloop_lag_p99_seconds 0.0123\n';
    expect(promValue(page, 'nodejs_eventloop_lag_p99_seconds')).toBe(0.0123);
    expect(promValue(page, 'missing')).toBeNaN();
  });
});
