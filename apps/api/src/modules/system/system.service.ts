import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterKinds, SystemInfo, SystemTicksParams, Tick } from '@youngchat/shared';

export interface SystemServiceDeps {
  version: string;
  instanceId: string;
  adapters: AdapterKinds;
}

export function createSystemService(deps: SystemServiceDeps) {
  return {
    info(): SystemInfo {
      return {
        name: 'YOUng Chat',
        version: deps.version,
        instanceId: deps.instanceId,
        adapters: deps.adapters,
        serverTime: new Date().toISOString(),
      };
    },

    /**
     * A numbered stream that resumes after `lastEventId`: the smallest end-to-end proof of the
     * subscription path (ids, resume, cancellation) before real events exist.
     */
    async *ticks(input: SystemTicksParams, signal: AbortSignal | undefined): AsyncGenerator<Tick> {
      const last = Number(input.lastEventId ?? 0);
      let n = Number.isSafeInteger(last) && last > 0 ? last : 0;
      while (!signal?.aborted && (input.until === undefined || n < input.until)) {
        try {
          await sleep(input.intervalMs, undefined, { signal });
        } catch {
          return; // aborted: the client left
        }
        n += 1;
        yield { n, at: new Date().toISOString() };
      }
    },
  };
}

export type SystemService = ReturnType<typeof createSystemService>;
