import { describe, expect, it } from 'vitest';
import { capacityOf, nextRate, type SearchPlan, type StepOutcome } from './capacity-search.ts';

const search: SearchPlan = { rates: undefined, startRate: 50, factor: 2, maxRate: 100_000, maxSteps: 10 };

/** Runs a search against a target that passes every rate up to `limit`. */
function run(plan: SearchPlan, limit: number): StepOutcome[] {
  const done: StepOutcome[] = [];
  for (let rate = nextRate(plan, done); rate !== undefined; rate = nextRate(plan, done)) done.push({ rate, passed: rate <= limit });
  return done;
}

describe('nextRate', () => {
  it('doubles until the first failure, then bisects once between the best pass and it', () => {
    expect(run(search, 300).map((s) => s.rate)).toEqual([50, 100, 200, 400, 283]);
    expect(capacityOf(run(search, 300))).toMatchObject({ best: { rate: 283 }, failure: { rate: 400 } });
    expect(capacityOf(run(search, 250))).toMatchObject({ best: { rate: 200 }, failure: { rate: 283 } });
  });

  it('reports no capacity when the first step fails, and does not bisect without a pass', () => {
    const done = run(search, 10);
    expect(done).toEqual([{ rate: 50, passed: false }]);
    expect(capacityOf(done)).toEqual({ best: undefined, failure: { rate: 50, passed: false } });
  });

  it('stops after maxSteps or at maxRate, leaving capacity a lower bound (no failure)', () => {
    expect(run({ ...search, maxSteps: 3 }, Infinity).map((s) => s.rate)).toEqual([50, 100, 200]);
    const capped = run({ ...search, maxRate: 300 }, Infinity);
    expect(capped.map((s) => s.rate)).toEqual([50, 100, 200, 300]);
    expect(capacityOf(capped)).toMatchObject({ best: { rate: 300 }, failure: undefined });
  });

  it('always steps up, even from a start of 1 with a small factor', () => {
    expect(run({ ...search, startRate: 1, factor: 1.2, maxSteps: 4 }, Infinity).map((s) => s.rate)).toEqual([1, 2, 3, 4]);
  });

  it('runs explicit rates as given and stops at the first failure, without bisecting', () => {
    const plan = { ...search, rates: [100, 400, 200, 800] };
    expect(run(plan, Infinity).map((s) => s.rate)).toEqual([100, 400, 200, 800]);
    expect(run(plan, 300).map((s) => s.rate)).toEqual([100, 400]);
    expect(capacityOf(run(plan, 300))).toMatchObject({ best: { rate: 100 }, failure: { rate: 400 } });
  });
});
