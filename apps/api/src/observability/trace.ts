import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface TraceContext {
  traceId: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function newTraceId(): string {
  return randomUUID();
}

export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}

export function runWithTrace<T>(traceId: string, fn: () => T): T {
  return storage.run({ traceId }, fn);
}

/**
 * Switches the rest of the current synchronous execution (and everything it starts) to this trace.
 * Used where we cannot wrap the callee, e.g. tRPC's own WebSocket message listener that runs right
 * after ours on the same `message` event.
 */
export function enterTrace(traceId: string): void {
  storage.enterWith({ traceId });
}
