import { describe, expect, it } from 'vitest';
import type { LoopResult } from '../http-load.ts';
import { historyRoundsLines } from './history-report.ts';

/** A loop that answered `perSecond` pages a second for 10 s. */
const loop = (perSecond: number) => ({ seconds: 10, latency: { count: perSecond * 10 } }) as unknown as LoopResult;
const round = (bare: [number, number], api: [number, number]) => ({
  bare: { deep: loop(bare[0]), seedKeyset: loop(bare[1]) },
  api: { deep: loop(api[0]), seedKeyset: loop(api[1]) },
});

describe('historyRoundsLines', () => {
  it('gives each round and the median share of each closed loop', () => {
    const lines = historyRoundsLines([round([1000, 1600], [850, 1450]), round([1200, 1500], [900, 900]), round([1000, 2000], [800, 1500])]);
    expect(lines).toContain("  round 2: random depths 900 ÷ 1200 = 75% · the seed's room 900 ÷ 1500 = 60%");
    expect(lines.at(-1)).toBe("  median: random depths 80% (range 75–85) · the seed's room 75% (range 60–91)");
  });

  it('says nothing for a single round', () => {
    expect(historyRoundsLines([round([1000, 1600], [850, 1450])])).toEqual([]);
  });
});
