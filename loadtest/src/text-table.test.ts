import { describe, expect, it } from 'vitest';
import { formatTable } from './text-table.ts';

describe('formatTable', () => {
  it('aligns columns, numbers to the right, and leaves a missing cell empty', () => {
    const table = formatTable([
      { target: 'bare ws', 'sends/s': 1600, verdict: 'pass' },
      { target: 'YOUng Chat', 'sends/s': 80 },
    ]);
    expect(table.split('\n')).toEqual([
      'target      sends/s  verdict',
      '──────────  ───────  ───────',
      'bare ws        1600  pass',
      'YOUng Chat       80',
    ]);
  });
});
