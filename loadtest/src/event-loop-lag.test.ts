import { describe, expect, it } from 'vitest';
import { sampleEventLoopLag } from './event-loop-lag.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sampleEventLoopLag', () => {
  it('gives how far the loop was held past the sampling interval', async () => {
    const stop = sampleEventLoopLag();
    await sleep(100);
    const until = Date.now() + 60;
    while (Date.now() < until); // the loop held for 60 ms
    await sleep(50);
    const lag = stop();
    expect(lag).toBeGreaterThanOrEqual(40);
    expect(lag).toBeLessThan(60 + 200); // not the interval counted on top, nor nanoseconds read as milliseconds
  });

  it('gives no lag for a window shorter than one sample', () => {
    expect(sampleEventLoopLag()()).toBe(0);
  });
});
