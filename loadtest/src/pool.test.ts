import { describe, expect, it } from 'vitest';
import { mapLimit, sleep, withTimeout } from './pool.ts';
import { bucketQuantile, bucketsSince, promBuckets, promValue } from './process-stats.ts';

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

describe('a histogram between two scrapes', () => {
  const page = (counts: number[]) =>
    ['0.01', '0.05', '0.1', '+Inf'].map((le, i) => `ws_send_seconds_bucket{le="${le}"} ${counts[i]}`).join('\n') + '\nws_send_seconds_count 1\n';

  it('gives the bucket bounds holding a quantile of what was counted in between', () => {
    const counted = bucketsSince(promBuckets(page([50, 50, 50, 50]), 'ws_send_seconds'), promBuckets(page([140, 148, 149, 150]), 'ws_send_seconds'));
    expect(bucketQuantile(counted, 0.5)).toBe(0.01); // 90 of 100 within 10 ms
    expect(bucketQuantile(counted, 0.95)).toBe(0.05); // 98 within 50 ms
    expect(bucketQuantile(counted, 0.99)).toBe(0.1);
    expect(bucketQuantile(counted, 1)).toBe(Infinity);
  });

  it('is NaN when nothing was counted, or there is no such histogram', () => {
    expect(bucketQuantile(bucketsSince(promBuckets(page([5, 5, 5, 5]), 'ws_send_seconds'), promBuckets(page([5, 5, 5, 5]), 'ws_send_seconds')), 0.99)).toBeNaN();
    expect(bucketQuantile(promBuckets('nodejs_eventloop_lag_seconds 0.01\n', 'ws_send_seconds'), 0.5)).toBeNaN();
  });
});
