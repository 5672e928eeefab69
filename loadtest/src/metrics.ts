/** Latency samples of one run; percentiles by nearest rank on the sorted samples. */
export class LatencyRecorder {
  private readonly samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): { count: number; p50: number; p95: number; p99: number; max: number } {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
  }
}

/** Counts what each client should have seen against what it saw, per sequence number. */
export class DeliveryLedger {
  received = 0;
  duplicates = 0;
  outOfOrder = 0;
  private readonly last = new Map<string, number>();

  /** `seq` must grow by one per stream; anything else is a duplicate or a reordering. */
  record(stream: string, seq: number): void {
    const previous = this.last.get(stream) ?? 0;
    if (seq <= previous) {
      this.duplicates += 1;
      return;
    }
    if (seq !== previous + 1) this.outOfOrder += 1;
    this.received += 1;
    this.last.set(stream, seq);
  }
}
