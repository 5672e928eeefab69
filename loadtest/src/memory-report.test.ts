import { describe, expect, it } from 'vitest';
import { overLimit, readingRows, summarize, type Reading } from './memory-report.ts';

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
