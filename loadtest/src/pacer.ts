const TICK_MS = 5;

export interface Pacer {
  /** Resolves once `total` calls were made, or at stop(). */
  done: Promise<void>;
  stop(): void;
}

/**
 * Open loop: calls `due(n)` for n = 0, 1, 2… at `rate` per second from now, whether or not earlier work has
 * finished, until `total` calls or stop(). A timer cannot fire per call at thousands a second, so each 5 ms tick
 * makes every call that has come due since the last.
 */
export function pace(rate: number, due: (n: number) => void, total = Infinity): Pacer {
  const from = performance.now();
  let issued = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const stop = () => {
    clearInterval(timer);
    finish();
  };
  const timer = setInterval(() => {
    const dueNow = Math.min(total, Math.floor(((performance.now() - from) / 1000) * rate));
    while (issued < dueNow) due(issued++);
    if (issued >= total) stop();
  }, TICK_MS);
  return { done, stop };
}
