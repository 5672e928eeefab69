import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { RateLimiterFactory } from '../../src/ports/rate-limiter.ts';

export function rateLimiterContract(getFactory: () => RateLimiterFactory): void {
  const rule = () => ({ name: `contract_${randomUUID().slice(0, 8)}`, points: 3, durationSec: 60 });

  it('allows the first N in a window, then refuses with a wait', async () => {
    const limiter = getFactory().create(rule());
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await limiter.consume('k'));
    expect(verdicts.slice(0, 3).map((v) => v.allowed)).toEqual([true, true, true]);
    expect(verdicts[3]).toMatchObject({ allowed: false });
    const wait = (verdicts[3] as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it('counts concurrent attempts exactly', async () => {
    const limiter = getFactory().create({ ...rule(), points: 10 });
    const verdicts = await Promise.all(Array.from({ length: 25 }, () => limiter.consume('k')));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
  });

  it('keeps keys and rules apart', async () => {
    const factory = getFactory();
    const a = factory.create(rule());
    const b = factory.create(rule());
    for (let i = 0; i < 3; i++) await a.consume('k');
    expect((await a.consume('k')).allowed).toBe(false);
    expect((await a.consume('other')).allowed).toBe(true);
    expect((await b.consume('k')).allowed).toBe(true);
  });

  it('blocks for blockSec once exhausted', async () => {
    const limiter = getFactory().create({ ...rule(), points: 1, durationSec: 1, blockSec: 120 });
    await limiter.consume('k');
    const verdict = await limiter.consume('k');
    expect(verdict).toMatchObject({ allowed: false });
    expect((verdict as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(100_000);
  });

  it('peek tells what consume would answer, without consuming', async () => {
    const limiter = getFactory().create(rule());
    expect(await limiter.peek('k')).toEqual({ allowed: true, remaining: 3 });
    for (let i = 0; i < 3; i++) await limiter.consume('k');
    expect(await limiter.peek('k')).toMatchObject({ allowed: false });
    expect(await limiter.peek('fresh')).toMatchObject({ allowed: true });
    expect((await limiter.consume('fresh')).allowed).toBe(true);
  });

  it('reset clears a key', async () => {
    const limiter = getFactory().create(rule());
    for (let i = 0; i < 4; i++) await limiter.consume('k');
    await limiter.reset('k');
    expect((await limiter.consume('k')).allowed).toBe(true);
  });

  it('answers check()', async () => {
    await expect(getFactory().check()).resolves.toBeUndefined();
  });
}
