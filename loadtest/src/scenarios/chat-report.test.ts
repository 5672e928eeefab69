import { describe, expect, it } from 'vitest';
import type { ResourceUsage } from '../bottleneck.ts';
import type { ChatStep, TargetRun } from './chat-fanout.ts';
import { roundsLines, scaleOutLines, scaleOutRoundsLines } from './chat-report.ts';

const usage: ResourceUsage = {
  seconds: 10,
  cores: 2,
  server: { name: 'API', busiestMainThreadPct: 30, pct: 35, cpuSeconds: 0 },
  services: [],
  generator: { busiestThreadPct: 20, pct: 25, lagP99Ms: 2 },
  machinePct: 50,
  locks: undefined,
};

/** A passed step whose servers used `cpuSeconds` for `deliveries`: 1e6 × cpuSeconds ÷ deliveries µs per delivery. */
const step = (rate: number, deliveries: number, cpuSeconds: number) =>
  ({ rate, passed: true, seconds: 10, deliveries, resources: { ...usage, server: { ...usage.server, cpuSeconds } } }) as unknown as ChatStep;
const run = (name: string, steps: ChatStep[]) => ({ name, steps }) as unknown as TargetRun;

describe('scaleOutLines', () => {
  it('compares N instances at R with one at R and with one at R/N, the load each of the N carries', () => {
    const one = run('one', [step(150, 1_000, 0.5), step(300, 2_000, 0.6)]);
    const two = run('two', [step(150, 1_000, 0.7), step(300, 2_000, 0.9)]);
    const lines = scaleOutLines(one, { instances: 2, api: two, bare: undefined }).join('\n');
    expect(lines).toContain('two ÷ one = 1.50'); // 450 against 300 µs, both at 300/s
    expect(lines).toContain('one instance at 150/s, the load each of the 2 carries: 500 µs per delivery → two at 300/s 450 (0.90×)');
  });

  it('says which rates it needs when the single instance has no step at R/N', () => {
    const one = run('one', [step(300, 2_000, 0.6)]);
    const three = run('three', [step(300, 2_000, 0.9)]);
    const lines = scaleOutLines(one, { instances: 3, api: three, bare: undefined });
    expect(lines.at(-1)).toContain('a --rate list holding both R and R/3');
    expect(lines.join('\n')).not.toContain('carries:');
  });

  it('sets the bare servers split as many ways beside them, as a control, and the API ratio over it', () => {
    const one = run('one', [step(600, 2_000, 0.6)]);
    const two = run('two', [step(600, 2_000, 0.9)]);
    const bare = run('bare', [step(600, 2_000, 0.2), step(1_200, 4_000, 0.3)]);
    const bareTwo = run('bare two', [step(600, 2_000, 0.25), step(1_200, 4_000, 0.4)]);
    const lines = scaleOutLines(one, { instances: 2, api: two, bare: bareTwo }, bare).join('\n');
    expect(lines).toContain('two ÷ one = 1.50');
    expect(lines).toContain('bare two (its rooms dealt over the servers, nothing relayed) ÷ bare at 600/s: 125 ÷ 100 µs per delivery = 1.25');
    expect(lines).toContain("the API's ratio over the control's: 1.20");
  });
});

describe('scaleOutRoundsLines', () => {
  it('gives each round the ratio, the control and the ratio beyond it, then their medians', () => {
    const round = (apiTwo: number, bareTwo: number) => ({
      bare: run('bare', [step(600, 2_000, 0.2)]),
      api: run('one', [step(600, 2_000, 0.6)]),
      scaled: { instances: 2, api: run('two', [step(600, 2_000, apiTwo)]), bare: run('bare two', [step(600, 2_000, bareTwo)]) },
    });
    const lines = scaleOutRoundsLines([round(0.9, 0.25), round(1.2, 0.3), round(0.96, 0.24)]).join('\n');
    expect(lines).toContain('round 1: at 600/s 1.50 · control 1.25 · beyond it 1.20');
    expect(lines).toContain('median: 1.60 (range 1.50–2.00) · control 1.25 (range 1.20–1.50) · beyond it 1.33 (range 1.20–1.33)');
  });

  it('says nothing for one round or without a scaled-out target', () => {
    const single = { bare: run('bare', []), api: run('one', []), scaled: undefined };
    expect(scaleOutRoundsLines([single, single])).toEqual([]);
  });
});

describe('roundsLines', () => {
  /** A run that passed at `passed` sends/s (9 deliveries each) and failed above it, or never failed (a lower bound). */
  const searched = (name: string, passed: number, failed: boolean) => {
    const steps = [{ ...step(passed, passed * 9 * 10, 1), sends: passed * 10 }] as (ChatStep & { bottleneck?: unknown })[];
    if (failed) steps.push({ ...step(passed * 2, 0, 1), passed: false, bottleneck: { invalid: false, resources: [] } } as unknown as ChatStep);
    return run(name, steps as ChatStep[]);
  };

  it('gives each round and the medians, saying which rounds were only bounded', () => {
    const lines = roundsLines([
      { bare: searched('bare', 4000, true), api: searched('api', 1000, true) },
      { bare: searched('bare', 6000, false), api: searched('api', 1800, true) },
      { bare: searched('bare', 5000, true), api: searched('api', 1500, true) },
    ]).join('\n');
    expect(lines).toContain('round 1: bare 4000 · api 1000 · 25%');
    expect(lines).toContain('round 2: bare ≥ 6000 · api 1800 · ≤ 30%');
    expect(lines).toContain('median: api 1500 sends/s (range 1000–1800) · bare 5000 (range 4000–6000) · ratio 30% (range 25–30)');
    expect(lines).toContain('in 1 of 3 rounds a capacity was only a lower bound');
  });

  it('shows a round whose first step failed as below that rate, and counts it as nothing in the median', () => {
    const failedAtOnce = run('api', [{ ...step(1500, 0, 1), passed: false, bottleneck: { invalid: false, resources: [] } } as unknown as ChatStep]);
    const lines = roundsLines([
      { bare: searched('bare', 4000, true), api: failedAtOnce },
      { bare: searched('bare', 6000, true), api: searched('api', 1800, true) },
      { bare: searched('bare', 5000, true), api: searched('api', 1700, true) },
    ]).join('\n');
    expect(lines).toContain('round 1: bare 4000 · api below 1500 · no ratio');
    expect(lines).toContain('median: api 1700 sends/s (range 0–1800)');
  });

  it('says nothing for a single round', () => {
    expect(roundsLines([{ bare: searched('bare', 4000, true), api: searched('api', 1000, true) }])).toEqual([]);
  });
});
