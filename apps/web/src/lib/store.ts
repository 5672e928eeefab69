import { useSyncExternalStore } from 'react';

/**
 * One value that screens read with useSyncExternalStore. Instances belong to an object made once per app or per
 * signed-in person (never to a module), so a test, or the next person to sign in, starts from a fresh one.
 */
export class Store<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  readonly get = (): T => this.value;

  /** Tells the readers only when the value really changes (same value: React skips the render anyway). */
  set(next: T): void {
    if (Object.is(next, this.value)) return;
    this.value = next;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
