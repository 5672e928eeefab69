import type { FanoutLedger } from './metrics.ts';
import { sleep } from './pool.ts';

/** After the last send, deliveries may still arrive; losses are what is missing after this much quiet. */
const QUIET_MS = 2_000;
/** …or after this long in all, however busy the stream still is. */
const MAX_DRAIN_MS = 30_000;

/** Waits until every send is answered and everything owed arrived, or nothing moved for 2 s, or 30 s passed. */
export async function drain(ledger: FanoutLedger): Promise<void> {
  const deadline = performance.now() + MAX_DRAIN_MS;
  let progress = -1;
  let movedAt = performance.now();
  while (!ledger.settled && performance.now() < deadline) {
    const now = ledger.received + ledger.acked + ledger.failed;
    if (now !== progress) [progress, movedAt] = [now, performance.now()];
    else if (performance.now() - movedAt >= QUIET_MS) return;
    await sleep(50);
  }
}
