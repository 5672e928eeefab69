// The memory run's figures and verdict (DESIGN §8, issue 11): pure, so that the limit check is tested.

export interface Reading {
  phase: string;
  rssMb: number;
  /** Whether the limit applies: a start-up's transient peak is shown but not held to it. */
  checked: boolean;
}

/** The median (nearest rank) and the largest of RSS samples; NaN for none. */
export function summarize(samples: readonly number[]): { p50: number; peak: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.ceil(sorted.length / 2) - 1] ?? Number.NaN, peak: sorted.at(-1) ?? Number.NaN };
}

/** The checked readings above the limit. A missing figure (NaN) fails too: nothing was measured. */
export function overLimit(readings: readonly Reading[], limitMb: number): Reading[] {
  return readings.filter((r) => r.checked && !(r.rssMb <= limitMb));
}

/** Rows for formatTable: each phase, its RSS, and how it stands against the limit. */
export function readingRows(readings: readonly Reading[], limitMb: number): Record<string, string | number>[] {
  const over = new Set(overLimit(readings, limitMb));
  return readings.map((r) => ({
    phase: r.phase,
    'RSS MB': Math.round(r.rssMb),
    [`≤ ${limitMb} MB`]: !r.checked ? '(not checked)' : over.has(r) ? 'OVER' : 'ok',
  }));
}
