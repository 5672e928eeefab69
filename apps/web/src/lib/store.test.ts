import { describe, expect, it } from 'vitest';
import { Store } from './store.ts';

describe('Store', () => {
  it('tells its readers about a change, once, and not about the same value again', () => {
    const store = new Store(1);
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    store.set(2);
    store.set(2);
    expect(store.get()).toBe(2);
    expect(calls).toBe(1);
    stop();
    store.set(3);
    expect(calls).toBe(1);
  });

  it('starts fresh for every instance', () => {
    const a = new Store<string[]>([]);
    a.set(['x']);
    expect(new Store<string[]>([]).get()).toEqual([]);
  });
});
