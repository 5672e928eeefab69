import { describe, expect, it } from 'vitest';
import {
  breakdownRows,
  overLimit,
  peakOf,
  readingOf,
  readingRows,
  sampledReadings,
  summarize,
  totalOf,
  type Breakdown,
  type Reading,
} from './memory-report.ts';

describe('summarize', () => {
  it('gives the nearest-rank median and the peak, whatever the order', () => {
    expect(summarize([300, 100, 200, 400])).toEqual({ p50: 200, peak: 400 });
    expect(summarize([5])).toEqual({ p50: 5, peak: 5 });
  });

  it('gives NaN when nothing was sampled', () => {
    expect(summarize([])).toEqual({ p50: Number.NaN, peak: Number.NaN });
  });
});

describe('the limit', () => {
  const readings: Reading[] = [
    { phase: 'ready', rssMb: 256, checked: true },
    { phase: 'chatting, peak', rssMb: 256.4, checked: true },
    { phase: 'start-up peak', rssMb: 800, checked: false },
    { phase: 'idle', rssMb: Number.NaN, checked: true },
  ];

  it('fails checked readings above it and unmeasured ones, and not the unchecked', () => {
    expect(overLimit(readings, 256).map((r) => r.phase)).toEqual(['chatting, peak', 'idle']);
  });

  it('says so in the table', () => {
    expect(readingRows(readings, 256).map((row) => row['≤ 256 MB'])).toEqual(['ok', 'OVER', '(not checked)', 'OVER']);
  });
});

describe('a deployment of several parts', () => {
  const quiet: Breakdown = { api: { processes: 1, rssMb: 150, pssMb: 120 }, postgres: { processes: 20, rssMb: 400, pssMb: 80 } };
  const busy: Breakdown = { api: { processes: 1, rssMb: 180, pssMb: 140 }, postgres: { processes: 22, rssMb: 410, pssMb: 85 } };

  it('sums every part: processes, RSS and PSS', () => {
    expect(totalOf(quiet)).toEqual({ processes: 21, rssMb: 550, pssMb: 200 });
    expect(totalOf({})).toEqual({ processes: 0, rssMb: 0, pssMb: 0 });
  });

  it('reads a sample as its totals, checked', () => {
    expect(readingOf('idle', quiet)).toEqual({ phase: 'idle', rssMb: 550, pssMb: 200, checked: true });
  });

  it('finds the sample of most RSS, and none among no samples', () => {
    expect(peakOf([quiet, busy, quiet])).toBe(busy);
    expect(peakOf([])).toBeUndefined();
  });

  it('gives a sampled phase its median and its peak, of RSS and of PSS', () => {
    expect(sampledReadings('chatting', [quiet, busy, quiet])).toEqual([
      { phase: 'chatting: p50', rssMb: 550, pssMb: 200, checked: true },
      { phase: 'chatting: peak', rssMb: 590, pssMb: 225, checked: true },
    ]);
  });

  it('shows PSS beside RSS only when some reading has it', () => {
    expect(readingRows([readingOf('idle', quiet)], 1024)).toEqual([{ phase: 'idle', 'RSS MB': 550, 'PSS MB': 200, '≤ 1024 MB': 'ok' }]);
    expect(Object.keys(readingRows([{ phase: 'idle', rssMb: 100, checked: true }], 256)[0]!)).not.toContain('PSS MB');
  });

  it('lists each part, then the sum', () => {
    expect(breakdownRows(quiet).map((row) => [row.part, row['RSS MB']])).toEqual([
      ['api', 150],
      ['postgres', 400],
      ['sum', 550],
    ]);
  });
});
