/** Latency samples of one run; percentiles by nearest rank on the sorted samples. */
export class LatencyRecorder {
  private readonly samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): { count: number; mean: number; p50: number; p95: number; p99: number; max: number } {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return { count: sorted.length, mean, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
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

interface SentMessage {
  sentAt: number;
  /** Members other than the sender, who should each get it once. */
  receivers: number;
  /** Who they are, when the sender said. */
  to: readonly string[] | undefined;
  acked: boolean;
  reached: Set<string>;
}

/**
 * The books of a chat fan-out: every send with how many members should get it, every delivery by user.
 * Only acknowledged sends are owed; a delivery may arrive before its send's acknowledgement.
 */
export class FanoutLedger {
  readonly latency = new LatencyRecorder();
  sent = 0;
  acked = 0;
  failed = 0;
  /** Deliveries, at most one per user and message, owed or not (a send may be delivered but never acknowledged). */
  received = 0;
  /** The same message to the same user again. */
  duplicates = 0;
  /** A room's seq not increasing for one user. */
  outOfOrder = 0;
  /** Deliveries by refetching history, not by the stream (see recover). */
  recovered = 0;
  private owed = 0;
  private paid = 0;
  private readonly messages = new Map<string, SentMessage>();
  private readonly lastSeq = new Map<string, number>();
  /** Acknowledged sends some member still waits for. */
  private readonly incomplete = new Set<SentMessage>();

  /** `to` names the receivers (as deliver() does), so that usersMissing() can tell who lacks something. */
  send(clientId: string, receivers: number, at: number, to?: readonly string[]): void {
    this.messages.set(clientId, { sentAt: at, receivers, to, acked: false, reached: new Set() });
    this.sent += 1;
  }

  ack(clientId: string): void {
    const message = this.messages.get(clientId);
    if (!message || message.acked) return;
    message.acked = true;
    this.acked += 1;
    this.owed += message.receivers;
    this.paid += message.reached.size;
    if (message.reached.size < message.receivers) this.incomplete.add(message);
  }

  fail(): void {
    this.failed += 1;
  }

  deliver(user: string, room: string, clientId: string, seq: number, at: number): void {
    const message = this.messages.get(clientId);
    if (!message) return; // not sent by this run
    if (message.reached.has(user)) {
      this.duplicates += 1;
      return;
    }
    this.reach(message, user, at);
    const stream = `${user}\n${room}`;
    if (seq <= (this.lastSeq.get(stream) ?? 0)) this.outOfOrder += 1;
    else this.lastSeq.set(stream, seq);
  }

  private reach(message: SentMessage, user: string, at: number): void {
    message.reached.add(user);
    this.received += 1;
    if (message.acked) this.paid += 1;
    if (message.reached.size >= message.receivers) this.incomplete.delete(message);
    this.latency.record(at - message.sentAt);
  }

  /** Deliveries owed for acknowledged sends. */
  get expected(): number {
    return this.owed;
  }

  /** Owed deliveries that arrived. */
  get arrived(): number {
    return this.paid;
  }

  /** Owed deliveries that have not arrived (yet). */
  get lost(): number {
    return this.owed - this.paid;
  }

  /**
   * A message the user got by refetching history (after a resync, or a stream that restarted without a position)
   * rather than from the stream: fills a gap; overlapping what the stream gave is by design, not a duplicate, and
   * order is the stream's business.
   */
  recover(user: string, clientId: string, at: number): void {
    const message = this.messages.get(clientId);
    if (!message || message.reached.has(user)) return;
    this.recovered += 1;
    this.reach(message, user, at);
  }

  /** Owed deliveries still missing for acknowledged sends made before `sentBefore` (a performance.now() time). */
  missingSentBefore(sentBefore: number): number {
    let missing = 0;
    for (const m of this.incomplete) if (m.sentAt < sentBefore) missing += m.receivers - m.reached.size;
    return missing;
  }

  /** Receivers still missing at least one owed delivery (of sends booked with their names). */
  usersMissing(): number {
    const missing = new Set<string>();
    for (const m of this.incomplete) for (const user of m.to ?? []) if (!m.reached.has(user)) missing.add(user);
    return missing.size;
  }

  /** Sends neither acknowledged nor failed. */
  get unanswered(): number {
    return this.sent - this.acked - this.failed;
  }

  /** Every send answered and every owed delivery in: nothing left to wait for. */
  get settled(): boolean {
    return this.unanswered === 0 && this.lost === 0;
  }
}
