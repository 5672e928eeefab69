import type { Logger } from 'pino';
import type { Db } from '../../ports/database.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import { pruneEventsBefore } from './events.repository.ts';

export interface EventRetentionOptions {
  db: Db;
  kv: KeyValueStore;
  instanceId: string;
  logger: Logger;
  /** Events older than this are deleted; a client that was away longer resyncs. */
  retentionMs: number;
  everyMs: number;
}

/** Prunes the event log now and then; with several instances, whoever takes the round's turn does it for all. */
export function startEventRetention({ db, kv, instanceId, logger, retentionMs, everyMs }: EventRetentionOptions) {
  async function round(): Promise<void> {
    if (!(await kv.setIfAbsent('jobs:prune-user-events', instanceId, everyMs / 2))) return;
    const deleted = await pruneEventsBefore(db, new Date(Date.now() - retentionMs));
    if (deleted > 0) logger.info({ deleted }, 'old events pruned');
  }
  const run = () => void round().catch((error: unknown) => logger.warn({ err: error }, 'pruning old events failed'));
  const timer = setInterval(run, everyMs);
  timer.unref();
  run();
  return { stop: () => clearInterval(timer) };
}

export type EventRetention = ReturnType<typeof startEventRetention>;
