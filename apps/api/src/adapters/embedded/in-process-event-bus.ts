import type { BusHandler, BusMessage, EventBus } from '../../ports/event-bus.ts';

/** Single-instance bus: delivery is a function call, so there are never gaps. */
export function createInProcessEventBus(): EventBus {
  const handlers = new Set<BusHandler>();
  return {
    name: 'eventBus',
    kind: 'in-process',
    async publish(message: BusMessage) {
      // Deliver on a later tick, as a real broker would: a publisher never re-enters its own handlers.
      const snapshot = [...handlers];
      queueMicrotask(() => {
        for (const handler of snapshot) handler(message);
      });
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    onGap: () => () => {},
    check: async () => {},
    close: async () => handlers.clear(),
  };
}
