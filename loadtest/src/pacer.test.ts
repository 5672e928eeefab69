import { describe, expect, it } from 'vitest';
import { pace } from './pacer.ts';

describe('pace', () => {
  it('makes `total` calls in order at about the rate asked', async () => {
    const calls: number[] = [];
    const started = performance.now();
    await pace(200, (n) => calls.push(n), 20).done;
    expect(calls).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('stops when told', async () => {
    let calls = 0;
    const pacer = pace(1_000, () => (calls += 1));
    await new Promise((resolve) => setTimeout(resolve, 30));
    pacer.stop();
    await pacer.done;
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(after);
    expect(after).toBeGreaterThan(0);
  });
});
