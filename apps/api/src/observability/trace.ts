import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What everything done for one request or socket message can ask about it. */
interface TraceContext {
  traceId: string;
  /** Set for a socket message: what the message said, read once where it was received. */
  socketMessage?: unknown;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function newTraceId(): string {
  return randomUUID();
}

export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}

/** What the socket message being handled carried (see enterTrace). */
export function currentSocketMessage(): unknown {
  return storage.getStore()?.socketMessage;
}

export function runWithTrace<T>(traceId: string, fn: () => T): T {
  return storage.run({ traceId }, fn);
}

/**
 * Switches the rest of the current synchronous execution (and everything it starts) to this trace.
 * Used where we cannot wrap the callee, e.g. tRPC's own WebSocket message listener that runs right
 * after ours on the same `message` event.
 */
export function enterTrace(traceId: string, socketMessage?: unknown): void {
  storage.enterWith(socketMessage === undefined ? { traceId } : { traceId, socketMessage });
}
