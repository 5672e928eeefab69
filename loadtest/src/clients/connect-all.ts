import { LatencyRecorder } from '../metrics.ts';
import { mapLimit } from '../pool.ts';
import { appCodeOf } from './live-client.ts';

/** A client that has not connected and subscribed within this counts as failed. */
export const CONNECT_TIMEOUT_MS = 15_000;

/** Connects in flight at once: enough to be quick, few enough not to be a storm of its own. */
const CONNECTS_IN_FLIGHT = 50;

export interface Crowd<C> {
  /** By index; undefined where the connect failed. */
  clients: (C | undefined)[];
  latency: LatencyRecorder;
  /** Failed connects by error code. */
  failures: Map<string, number>;
}

/** Connects `count` clients, 50 at a time, timing each; a failed connect is counted, not fatal. */
export async function connectAll<C>(count: number, connect: (index: number) => Promise<C>): Promise<Crowd<C>> {
  const latency = new LatencyRecorder();
  const failures = new Map<string, number>();
  const clients = await mapLimit(Array.from({ length: count }, (_, i) => i), CONNECTS_IN_FLIGHT, async (index) => {
    const started = performance.now();
    try {
      const client = await connect(index);
      latency.record(performance.now() - started);
      return client;
    } catch (error) {
      const code = appCodeOf(error);
      failures.set(code, (failures.get(code) ?? 0) + 1);
      return undefined;
    }
  });
  return { clients, latency, failures };
}

export const describeFailures = (failures: Map<string, number>) => [...failures].map(([what, n]) => `${n} × ${what}`).join(', ');
