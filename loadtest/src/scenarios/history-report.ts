// The history scenario's comparison over several rounds (`--rounds`): each round's closed loops, API against bare.
import type { LoopResult } from '../http-load.ts';
import { medianOf } from '../report.ts';

const pagesPerSecond = (r: LoopResult) => r.latency.count / r.seconds;

/** The two closed loops DESIGN §8 compares: pages at random depths, and the seed project's room. */
export interface ClosedLoops {
  deep: LoopResult;
  seedKeyset: LoopResult;
}

/**
 * Each round's pages/s of the API against bare's, then the median share with its range: one round on this kind of
 * box moves by a quarter either way, so a claim of "≥ 80% of bare" rests on the median.
 */
export function historyRoundsLines(rounds: { bare: ClosedLoops; api: ClosedLoops }[]): string[] {
  if (rounds.length < 2) return [];
  const cases = [
    { name: 'random depths', of: (l: ClosedLoops) => l.deep },
    { name: "the seed's room", of: (l: ClosedLoops) => l.seedKeyset },
  ];
  const share = (round: (typeof rounds)[number], of: (l: ClosedLoops) => LoopResult) => (100 * pagesPerSecond(of(round.api))) / pagesPerSecond(of(round.bare));
  const pages = (l: LoopResult) => Math.round(pagesPerSecond(l));
  return [
    `\n${rounds.length} rounds of the closed loops, bare then the API each round (pages/s, API ÷ bare; DESIGN §8: ≥ 80%):`,
    ...rounds.map(
      (round, i) =>
        `  round ${i + 1}: ` +
        cases.map(({ name, of }) => `${name} ${pages(of(round.api))} ÷ ${pages(of(round.bare))} = ${Math.round(share(round, of))}%`).join(' · '),
    ),
    '  median: ' +
      cases
        .map(({ name, of }) => {
          const { median, range } = medianOf(rounds.map((round) => share(round, of)));
          return `${name} ${Math.round(median)}% (${range})`;
        })
        .join(' · '),
  ];
}
