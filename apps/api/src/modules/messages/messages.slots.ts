/**
 * At most `size` batches at work at once, for DataLoader's batchScheduleFn: a batch waiting for a free slot keeps
 * gathering (DataLoader adds to a batch until it is dispatched), so under load batches grow, and when idle a batch
 * goes as soon as it is scheduled.
 */
export function createBatchSlots(size: number) {
  let busy = 0;
  const waiting: (() => void)[] = [];
  const pump = () => {
    while (busy < size && waiting.length > 0) waiting.shift()!();
  };
  return {
    /** Dispatches the batch (DataLoader's dispatch) once a slot is free. */
    whenFree(dispatch: () => void): void {
      waiting.push(dispatch);
      pump();
    },
    /** Runs a batch in its slot; the slot is free again when the batch is done. */
    async hold<T>(work: () => Promise<T>): Promise<T> {
      busy += 1;
      try {
        return await work();
      } finally {
        busy -= 1;
        pump();
      }
    },
  };
}
