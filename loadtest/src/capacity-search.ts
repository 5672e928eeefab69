// DESIGN §8: a target's capacity is the highest offered rate at which it still meets the bar, and every target,
// the baseline included, is stepped up until it fails. Comparing targets at one fixed rate says nothing when that
// rate leaves the baseline idle.

export interface SearchPlan {
  /** Explicit steps (`--rate a,b,c`): exactly these, in order, until the first failure. */
  rates: number[] | undefined;
  /** Otherwise a geometric search: from here, × factor per step, then one bisection after the first failure. */
  startRate: number;
  factor: number;
  maxRate: number;
  maxSteps: number;
}

export interface StepOutcome {
  rate: number;
  passed: boolean;
}

/**
 * The next rate to offer, or undefined when the search is over: after the first failure (in search mode after
 * one bisection between the best pass and that failure, at their geometric mean), after `maxSteps`, or at
 * `maxRate`. Whether a step still fits the time budget is the caller's to judge.
 */
export function nextRate(plan: SearchPlan, done: StepOutcome[]): number | undefined {
  if (done.length >= plan.maxSteps) return undefined;
  const failures = done.filter((s) => !s.passed);
  if (plan.rates) return failures.length > 0 ? undefined : plan.rates[done.length];
  const last = done.at(-1);
  if (!last) return plan.startRate;
  if (failures.length === 0) {
    const next = Math.min(plan.maxRate, Math.max(last.rate + 1, Math.round(last.rate * plan.factor)));
    return next > last.rate ? next : undefined;
  }
  const best = bestPass(done);
  if (failures.length > 1 || last.passed || !best) return undefined;
  const middle = Math.round(Math.sqrt(best.rate * last.rate));
  return middle > best.rate && middle < last.rate ? middle : undefined;
}

function bestPass(done: StepOutcome[]): StepOutcome | undefined {
  return done.filter((s) => s.passed).sort((a, b) => b.rate - a.rate)[0];
}

export interface Capacity<T extends StepOutcome> {
  /** The highest passing step; undefined when even the first step failed. */
  best: T | undefined;
  /** The lowest failing step; undefined when nothing failed, so that `best` is only a lower bound. */
  failure: T | undefined;
}

export function capacityOf<T extends StepOutcome>(done: T[]): Capacity<T> {
  const failure = done.filter((s) => !s.passed).sort((a, b) => a.rate - b.rate)[0];
  const below = failure ? done.filter((s) => s.rate < failure.rate) : done;
  return { best: bestPass(below) as T | undefined, failure };
}
