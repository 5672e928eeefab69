import { expect, it } from 'vitest';
import type { BusMessage, EventBus } from '../../src/ports/event-bus.ts';

/** Collects what a bus delivers, and waits for a count. */
export function collect(bus: EventBus) {
  const received: BusMessage[] = [];
  const unsubscribe = bus.subscribe((m) => received.push(m));
  return {
    received,
    unsubscribe,
    async waitFor(count: number, timeoutMs = 5_000): Promise<BusMessage[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
  };
}

/**
 * `getBuses` returns instances that share one transport; `peers` > 1 only for adapters that relay
 * between processes (the in-process bus has one instance).
 */
export function eventBusContract(getBuses: () => EventBus[]): void {
  it('delivers a published message to every subscriber, publisher included, in order', async () => {
    const buses = getBuses();
    const sinks = buses.map(collect);
    const [publisher] = buses;
    for (let i = 0; i < 50; i++) await publisher!.publish({ type: 'contract.ordered', i, text: '안녕 👋' });
    for (const sink of sinks) {
      const got = (await sink.waitFor(50)).filter((m) => m.type === 'contract.ordered');
      expect(got.map((m) => m.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(got[0]).toEqual({ type: 'contract.ordered', i: 0, text: '안녕 👋' });
      sink.unsubscribe();
    }
  });

  it('stops delivering after unsubscribe', async () => {
    const buses = getBuses();
    const kept = collect(buses[0]!);
    const dropped = collect(buses[0]!);
    dropped.unsubscribe();
    await buses[0]!.publish({ type: 'contract.unsubscribe' });
    await kept.waitFor(1);
    expect(kept.received).toHaveLength(1);
    expect(dropped.received).toHaveLength(0);
    kept.unsubscribe();
  });

  it('does not call a subscriber synchronously from publish', async () => {
    const [bus] = getBuses();
    let calledDuringPublish = false;
    let publishing = false;
    const unsubscribe = bus!.subscribe(() => {
      if (publishing) calledDuringPublish = true;
    });
    publishing = true;
    const done = bus!.publish({ type: 'contract.async' });
    publishing = false;
    await done;
    unsubscribe();
    expect(calledDuringPublish).toBe(false);
  });

  it('answers check()', async () => {
    for (const bus of getBuses()) await expect(bus.check()).resolves.toBeUndefined();
  });
}
