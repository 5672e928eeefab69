import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/ports/key-value.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The behaviour every KeyValueStore adapter must share; `getStore` is called inside each test. */
export function keyValueContract(getStore: () => KeyValueStore): void {
  const key = () => `contract:${randomUUID()}`;

  it('stores a value until its TTL runs out', async () => {
    const kv = getStore();
    const k = key();
    await kv.set(k, 'héllo 한국어', 400);
    expect(await kv.get(k)).toBe('héllo 한국어');
    const ttl = await kv.ttlMs(k);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(400);
    await sleep(600);
    expect(await kv.get(k)).toBeNull();
    expect(await kv.ttlMs(k)).toBeNull();
  });

  it('overwrites a value and its TTL', async () => {
    const kv = getStore();
    const k = key();
    await kv.set(k, 'a', 200);
    await kv.set(k, 'b', 60_000);
    await sleep(300);
    expect(await kv.get(k)).toBe('b');
  });

  it('setIfAbsent writes once, and again only after expiry', async () => {
    const kv = getStore();
    const k = key();
    expect(await kv.setIfAbsent(k, 'first', 300)).toBe(true);
    expect(await kv.setIfAbsent(k, 'second', 300)).toBe(false);
    expect(await kv.get(k)).toBe('first');
    await sleep(500);
    expect(await kv.setIfAbsent(k, 'third', 60_000)).toBe(true);
    expect(await kv.get(k)).toBe('third');
  });

  it('take returns a value exactly once, even to concurrent callers', async () => {
    const kv = getStore();
    const k = key();
    await kv.set(k, 'once', 60_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => kv.take(k)));
    expect(results.filter((r) => r === 'once')).toHaveLength(1);
    expect(await kv.get(k)).toBeNull();
  });

  it('delete reports whether the key existed', async () => {
    const kv = getStore();
    const k = key();
    expect(await kv.delete(k)).toBe(false);
    await kv.set(k, 'x', 60_000);
    expect(await kv.delete(k)).toBe(true);
    expect(await kv.get(k)).toBeNull();
  });

  it('increment counts concurrent calls exactly and keeps the first expiry', async () => {
    const kv = getStore();
    const k = key();
    const values = await Promise.all(Array.from({ length: 20 }, () => kv.increment(k, 500)));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const ttl = await kv.ttlMs(k);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(500);
    await sleep(700);
    expect(await kv.increment(k, 60_000)).toBe(1);
  });

  it('answers check()', async () => {
    await expect(getStore().check()).resolves.toBeUndefined();
  });
}
