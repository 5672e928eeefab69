// The memory run's figures and verdict (DESIGN §8, issue 11): pure, so that the limit check is tested.

export interface Reading {
  phase: string;
  rssMb: number;
  /** Beside RSS where it was read: shared pages (PostgreSQL's shared_buffers) counted once across processes. */
  pssMb?: number;
  /** Whether the limit applies: a start-up's transient peak is shown but not held to it. */
  checked: boolean;
}

/** One part of a deployment (an API instance, nginx, PostgreSQL…): how many processes, their RSS and PSS summed. */
export interface PartMemory {
  processes: number;
  rssMb: number;
  pssMb: number;
}

/** A sample of a whole deployment, part by part. */
export type Breakdown = Record<string, PartMemory>;

/** The median (nearest rank) and the largest of RSS samples; NaN for none. */
export function summarize(samples: readonly number[]): { p50: number; peak: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.ceil(sorted.length / 2) - 1] ?? Number.NaN, peak: sorted.at(-1) ?? Number.NaN };
}

/** The deployment as one figure: every part summed. */
export function totalOf(breakdown: Breakdown): PartMemory {
  const total: PartMemory = { processes: 0, rssMb: 0, pssMb: 0 };
  for (const part of Object.values(breakdown)) {
    total.processes += part.processes;
    total.rssMb += part.rssMb;
    total.pssMb += part.pssMb;
  }
  return total;
}

/** A checked reading of one sample's totals. */
export function readingOf(phase: string, sample: Breakdown): Reading {
  const { rssMb, pssMb } = totalOf(sample);
  return { phase, rssMb, pssMb, checked: true };
}

/** The sample with the most RSS in all: the breakdown shown for the peak. */
export function peakOf(samples: readonly Breakdown[]): Breakdown | undefined {
  return samples.reduce<Breakdown | undefined>((peak, s) => (peak === undefined || totalOf(s).rssMb > totalOf(peak).rssMb ? s : peak), undefined);
}

/** A phase sampled throughout as two checked readings, its median and its peak (of RSS and of PSS, each its own). */
export function sampledReadings(phase: string, samples: readonly Breakdown[]): [Reading, Reading] {
  const rss = summarize(samples.map((s) => totalOf(s).rssMb));
  const pss = summarize(samples.map((s) => totalOf(s).pssMb));
  return [
    { phase: `${phase}: p50`, rssMb: rss.p50, pssMb: pss.p50, checked: true },
    { phase: `${phase}: peak`, rssMb: rss.peak, pssMb: pss.peak, checked: true },
  ];
}

/** The checked readings above the limit. A missing figure (NaN) fails too: nothing was measured. */
export function overLimit(readings: readonly Reading[], limitMb: number): Reading[] {
  return readings.filter((r) => r.checked && !(r.rssMb <= limitMb));
}

/** Rows for formatTable: each phase, its RSS (and PSS), and how it stands against the limit. */
export function readingRows(readings: readonly Reading[], limitMb: number): Record<string, string | number>[] {
  const over = new Set(overLimit(readings, limitMb));
  const withPss = readings.some((r) => r.pssMb !== undefined);
  return readings.map((r) => ({
    phase: r.phase,
    'RSS MB': Math.round(r.rssMb),
    ...(withPss ? { 'PSS MB': r.pssMb === undefined ? '' : Math.round(r.pssMb) } : {}),
    [`≤ ${limitMb} MB`]: !r.checked ? '(not checked)' : over.has(r) ? 'OVER' : 'ok',
  }));
}

/** Rows for formatTable: each part of one sample, then their sum. */
export function breakdownRows(breakdown: Breakdown): Record<string, string | number>[] {
  const row = (part: string, m: PartMemory) => ({ part, processes: m.processes, 'RSS MB': Math.round(m.rssMb), 'PSS MB': Math.round(m.pssMb) });
  return [...Object.entries(breakdown).map(([part, m]) => row(part, m)), row('sum', totalOf(breakdown))];
}
