import type { Logger } from 'pino';
import type { KeyValueStore } from './ports/key-value.ts';

export interface PeriodicJobOptions {
  /** Also its lock's key: with several instances, whoever takes a round's turn does it for all. */
  name: string;
  kv: KeyValueStore;
  instanceId: string;
  logger: Logger;
  everyMs: number;
  run(): Promise<void>;
}

/** Housekeeping now and then (at start, then every `everyMs`), done by one instance per round. */
export function startPeriodicJob({ name, kv, instanceId, logger, everyMs, run }: PeriodicJobOptions) {
  async function round(): Promise<void> {
    if (await kv.setIfAbsent(`jobs:${name}`, instanceId, everyMs / 2)) await run();
  }
  const tick = () => void round().catch((error: unknown) => logger.warn({ err: error, job: name }, 'periodic job failed'));
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return { stop: () => clearInterval(timer) };
}

export type PeriodicJob = ReturnType<typeof startPeriodicJob>;
