// The chat scenario's report: every step of every target, what each process used, and DESIGN §8's comparisons
// of capacities (never of figures at one rate, which says nothing when that rate leaves the baseline idle).
import type { ResourceUsage } from '../bottleneck.ts';
import { capacityOf } from '../capacity-search.ts';
import { deliveryColumns, medianOf, ms, P99_BAR_MS, serverColumns } from '../report.ts';
import { formatTable } from '../text-table.ts';
import type { ChatStep, TargetRun } from './chat-fanout.ts';

const pct = (n: number | undefined) => (n === undefined ? '-' : Math.round(n));
const perSecond = (n: number, seconds: number) => Math.round(n / seconds);
const label = (run: TargetRun, step: ChatStep) => `${run.name} @ ${step.rate}/s`;

/** A histogram bucket's upper bound, as "≤ 10" (ms); "-" without one. */
const atMost = (ms: number) => (Number.isNaN(ms) ? '-' : `≤ ${Number.isFinite(ms) ? Math.round(ms * 10) / 10 : '∞'}`);

function deliveryRow(run: TargetRun, step: ChatStep): Record<string, string | number> {
  return {
    'target @ offered': label(run, step),
    ...deliveryColumns(step),
    ...serverColumns(step),
    // The server's own share of a send's latency, beside what the generator measured end to end.
    'answered in p50/p99 ms': Number.isNaN(step.server.answerP50Ms) ? '-' : `${atMost(step.server.answerP50Ms)} / ${atMost(step.server.answerP99Ms)}`,
    verdict: step.passed ? 'pass' : 'FAIL',
  };
}

function resourceRow(run: TargetRun, step: ChatStep): Record<string, string | number> {
  const u = step.resources;
  const service = (name: string) => pct(u.services.find((s) => s.name === name)?.pct);
  const locks = u.locks ? `${u.locks.meanWaiting.toFixed(1)} / ${u.locks.maxWaiting}` : '-';
  return {
    'target @ offered': label(run, step),
    'server main thread': pct(u.server.busiestMainThreadPct),
    'server all': pct(u.server.pct),
    PostgreSQL: service('PostgreSQL'),
    RabbitMQ: service('RabbitMQ'),
    Redis: service('Redis'),
    'generator busiest thread': pct(u.generator.busiestThreadPct),
    'generator lag p99 ms': Math.round(u.generator.lagP99Ms),
    'machine (% of all)': pct(u.machinePct),
    'lock waits mean/max': locks,
  };
}

/** A target's capacity in deliveries/s, and whether it is only a lower bound (no valid failure above it). */
function capacity(run: TargetRun): { best: ChatStep | undefined; failure: ChatStep | undefined; lowerBound: boolean } {
  const { best, failure } = capacityOf(run.steps);
  return { best, failure, lowerBound: !failure || failure.bottleneck.invalid };
}

function capacityLine(run: TargetRun): string {
  const { best, failure, lowerBound } = capacity(run);
  const connect = run.connect.summary();
  const figure = best
    ? `${lowerBound ? '≥ ' : ''}${perSecond(best.sends ?? 0, best.seconds)} sends/s · ${perSecond(best.deliveries, best.seconds)} deliveries/s ` +
      `(offered ${best.rate}/s, p99 ${ms(best.deliver.summary().p99)} ms)`
    : 'none: the first step failed (try a lower rate)';
  const end = failure
    ? `fails at ${failure.rate}/s (${failure.misses.join(', ')}): limited by ${failure.bottleneck.resources.join('; ')}`
    : `no failure: stopped by ${run.ended}`;
  return `  ${run.name}: ${figure} · connect p50/p99 ${ms(connect.p50)} / ${ms(connect.p99)} ms · ${end}`;
}

/** Deliveries/s at a target's capacity; 0 when it passed no step. */
const capacityPerSecond = (c: ReturnType<typeof capacity>) => (c.best ? c.best.deliveries / c.best.seconds : 0);
/** How a ratio of two capacities is bounded: ≥ when only ours is a lower bound, ≤ when only the base's is. */
const boundMark = (ours: ReturnType<typeof capacity>, base: ReturnType<typeof capacity>) =>
  ours.lowerBound && base.lowerBound ? '~' : ours.lowerBound ? '≥ ' : base.lowerBound ? '≤ ' : '';

function ratioLine(ours: TargetRun, base: TargetRun, designPct: number): string {
  const [a, b] = [capacity(ours), capacity(base)];
  if (!a.best || !b.best) return `  ${ours.name} ÷ ${base.name}: no ratio (${!b.best ? base.name : ours.name} passed no step)`;
  const share = Math.round((100 * capacityPerSecond(a)) / capacityPerSecond(b));
  const bound = boundMark(a, b);
  const caveat = [a, b]
    .map((c, i) => (c.lowerBound ? `${[ours, base][i]!.name}'s capacity is only a lower bound` : ''))
    .filter(Boolean)
    .join(', ');
  return `  ${ours.name} ÷ ${base.name}: ${bound}${share}% of deliveries/s capacity (DESIGN §8: ≥ ${designPct}%)${caveat ? ` — ${caveat}` : ''}`;
}

/** Every process's CPU for a step's deliveries: the target's servers plus the services they run on. */
function cpuPerDelivery(u: ResourceUsage, deliveries: number): { micros: number; parts: string } {
  const parts = [{ name: u.server.name, cpuSeconds: u.server.cpuSeconds }, ...u.services];
  const micros = (s: number) => (1e6 * s) / deliveries;
  return {
    micros: micros(parts.reduce((sum, p) => sum + p.cpuSeconds, 0)),
    parts: parts.map((p) => `${p.name} ${Math.round(micros(p.cpuSeconds))}`).join(' + '),
  };
}

/** The generator's CPU (all its threads) over the step's sending window, per delivery. */
const generatorMicrosPerDelivery = (step: ChatStep) => (1e4 * step.resources.generator.pct * step.seconds) / step.deliveries;

/** The scaled-out targets of a round: the API on `instances` instances, and the bare control split as many ways. */
export interface ScaledOut {
  instances: number;
  api: TargetRun;
  /** Absent when the plan's rooms cannot be split without a relay (the mix). */
  bare: TargetRun | undefined;
}

/** One round of the chat scenario: the bare baseline, one API instance, and the scaled-out pair when asked for. */
export interface ChatRound {
  bare: TargetRun;
  api: TargetRun;
  scaled: ScaledOut | undefined;
}

/** The highest offered rate at which both runs passed, else the highest both ran. */
function commonRate(one: TargetRun, many: TargetRun): { rate: number | undefined; bothPassed: boolean } {
  const common = (passedOnly: boolean) =>
    one.steps
      .filter((s) => (!passedOnly || s.passed) && many.steps.some((m) => m.rate === s.rate && (!passedOnly || m.passed)))
      .map((s) => s.rate)
      .sort((a, b) => b - a)[0];
  const passed = common(true);
  return { rate: passed ?? common(false), bothPassed: passed !== undefined };
}

const stepAt = (run: TargetRun, rate: number) => run.steps.find((s) => s.rate === rate);

/** CPU per delivery (µs, every process summed) of a target's step, and what it is made of. */
const cpuAt = (step: ChatStep) => cpuPerDelivery(step.resources, step.deliveries);

/**
 * The scale-out comparison at the highest offered rate both deployments passed (else the highest both ran): their CPU
 * per delivery and its ratio; and the control, the bare servers split as many ways against one at that rate. The
 * control relays nothing and shares no state, so what its split costs is what the box charges for running the same
 * deliveries in more processes.
 */
function scaleOutFigures(one: TargetRun, { api: many, bare: split }: ScaledOut, bare: TargetRun | undefined) {
  const { rate, bothPassed } = commonRate(one, many);
  if (rate === undefined) return undefined;
  const [a, b] = [cpuAt(stepAt(one, rate)!), cpuAt(stepAt(many, rate)!)];
  const [bareOne, bareMany] = [bare && stepAt(bare, rate), split && stepAt(split, rate)];
  const control = bareOne && bareMany ? { one: cpuAt(bareOne).micros, many: cpuAt(bareMany).micros } : undefined;
  return { rate, bothPassed, one: a, many: b, ratio: b.micros / a.micros, control, controlRatio: control && control.many / control.one };
}

/** Scale-out: CPU per delivery at the highest offered rate both deployments passed (else both ran). */
export function scaleOutLines(one: TargetRun, scaled: ScaledOut, bare?: TargetRun): string[] {
  const { instances, api: many, bare: split } = scaled;
  const figures = scaleOutFigures(one, scaled, bare);
  if (!figures) return [`  CPU per delivery: no offered rate in common to compare at`];
  const { rate, bothPassed, one: a, many: b, ratio, control, controlRatio } = figures;
  const at = (run: TargetRun) => stepAt(run, rate)!;
  // The generator does the same work for both (the same sockets, sends and deliveries): had crowding the cores with
  // more processes made every process dearer, its figure would grow too, and the ratio above would not be the work
  // the deployment added.
  const [g1, g2] = [one, many].map((run) => generatorMicrosPerDelivery(at(run))) as [number, number];
  // On this kind of box a process's CPU per delivery falls steeply as its load rises (more work per wake-up, hotter
  // code), so the instances, each carrying 1/n of the load, are compared with one instance carrying that much too.
  const share = one.steps.find((s) => s.rate * instances === rate);
  const atShare = share && cpuAt(share).micros;
  const shareLine =
    share && atShare
      ? `    beside it, one instance at ${share.rate}/s, the load each of the ${instances} carries: ${Math.round(atShare)} µs per delivery → ${many.name} at ${rate}/s ${Math.round(b.micros)} (${(b.micros / atShare).toFixed(2)}×): what the relay and the split add beyond each process running at a lower load`
      : `    (a --rate list holding both R and R/${instances}, as --rate 150,300,600 does for 2, also shows one instance at the load each of the ${instances} carries)`;
  const controlLines =
    control && controlRatio && split && bare
      ? [
          `    control, ${split.name} (its rooms dealt over the servers, nothing relayed) ÷ ${bare.name} at ${rate}/s: ${Math.round(control.many)} ÷ ${Math.round(control.one)} µs per delivery = ${controlRatio.toFixed(2)}: what the same deliveries cost in more processes on this box`,
          `    the API's ratio over the control's: ${(ratio / controlRatio).toFixed(2)} (what the relay and the shared services add)`,
        ]
      : split
        ? [`    control: ${split.name} has no step at ${rate}/s beside ${bare?.name ?? 'the bare server'}`]
        : [];
  return [
    `  CPU per delivery at ${rate}/s${bothPassed ? '' : ' (no rate both passed)'}, every process summed (µs):`,
    `    ${one.name}: ${Math.round(a.micros)} (${a.parts})`,
    `    ${many.name}: ${Math.round(b.micros)} (${b.parts})`,
    `    ${many.name} ÷ ${one.name} = ${ratio.toFixed(2)} (DESIGN §8: ≤ 1.15)`,
    `    beside it, the load generator, which does the same work for both: ${Math.round(g1)} → ${Math.round(g2)} µs per delivery (${(g2 / g1).toFixed(2)}×; machine ${Math.round(at(one).resources.machinePct)}% → ${Math.round(at(many).resources.machinePct)}% busy): the cost of crowding the cores, were there one`,
    shareLine,
    ...controlLines,
  ];
}

/** `--rounds` with `--instances`: each round's scale-out ratios, then their medians, as for the capacities. */
export function scaleOutRoundsLines(rounds: ChatRound[]): string[] {
  const rows = rounds.map((r) => r.scaled && scaleOutFigures(r.api, r.scaled, r.bare));
  if (rows.length < 2 || rows.some((row) => !row)) return [];
  const figures = rows.map((row) => row!);
  const median = (values: number[]) =>
    `${medianOf(values).median.toFixed(2)} (range ${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  const controls = figures.flatMap((f) => (f.controlRatio ? [{ control: f.controlRatio, beyond: f.ratio / f.controlRatio }] : []));
  const { api, scaled } = rounds[0]!;
  const controlName = scaled!.bare?.name;
  const row = (f: (typeof figures)[number]) =>
    `at ${f.rate}/s ${f.ratio.toFixed(2)}` + (f.controlRatio ? ` · control ${f.controlRatio.toFixed(2)} · beyond it ${(f.ratio / f.controlRatio).toFixed(2)}` : '');
  return [
    `scale-out, CPU per delivery every process summed, ${scaled!.api.name} ÷ ${api.name}` +
      (controlName ? `; the control (${controlName} ÷ one); the API's ratio beyond the control's` : '') + ':',
    ...figures.map((f, i) => `  round ${i + 1}: ${row(f)}`),
    `  median: ${median(figures.map((f) => f.ratio))}` +
      (controls.length === figures.length ? ` · control ${median(controls.map((c) => c.control))} · beyond it ${median(controls.map((c) => c.beyond))}` : ''),
  ];
}

/** A round's tables, capacities and ratios; the scaled-out targets, when there are some, follow their single ones. */
export function printChatReport({ bare, api, scaled }: ChatRound): void {
  const runs = [bare, scaled?.bare, api, scaled?.api].filter((run): run is TargetRun => run !== undefined);
  const all = runs.flatMap((run) => run.steps.map((step) => [run, step] as const));
  console.log('');
  console.log(formatTable(all.map(([run, step]) => deliveryRow(run, step))));
  console.log('\nCPU over each step\'s sending window, % of one core (machine: % of all cores); lock waits on the run\'s database');
  console.log(formatTable(all.map(([run, step]) => resourceRow(run, step))));
  console.log('');
  for (const [run, step] of all) {
    const notes = [...step.notes].map(([what, n]) => `${n} × ${what}`);
    if (notes.length > 0) console.log(`${label(run, step)}: ${notes.join(', ')}`);
    if (!step.passed) console.log(`${label(run, step)} FAILED (${step.misses.join(', ')}): limited by ${step.bottleneck.resources.join('; ')}`);
  }
  console.log(`\ncapacity: the highest offered rate with every acknowledged send at every member once, in order, p99 ≤ ${P99_BAR_MS} ms`);
  for (const run of runs) console.log(capacityLine(run));
  console.log('ratios of capacities:');
  console.log(ratioLine(api, bare, 60));
  if (scaled) {
    console.log(ratioLine(scaled.api, api, 85));
    for (const line of scaleOutLines(api, scaled, bare)) console.log(line);
    if (!scaled.bare) console.log('    (no bare control: some user\'s rooms would be on two servers, and the bare servers relay nothing)');
  }
  console.log('Losses count after the stream went quiet for 2 s; sends beyond a second of unanswered ones are skipped (refused).');
}

/**
 * `--rounds`: the same comparison run several times in a row, each round stepping both targets anew. On a shared
 * 2-core box one search's capacity moves by a factor of two within the hour, so a claim rests on the median of the
 * rounds, with their range beside it, rather than on whichever round came out best.
 */
export function roundsLines(rounds: { bare: TargetRun; api: TargetRun }[]): string[] {
  if (rounds.length < 2) return [];
  const sendsPerSecond = (c: ReturnType<typeof capacity>) => (c.best ? (c.best.sends ?? 0) / c.best.seconds : 0);
  const rows = rounds.map(({ bare, api }) => {
    const [b, a] = [capacity(bare), capacity(api)];
    const share = a.best && b.best ? (100 * capacityPerSecond(a)) / capacityPerSecond(b) : undefined;
    // A round whose first step failed has no capacity to show, only a bound (counted as 0 in the median).
    const figure = (run: TargetRun, c: typeof a) =>
      c.best ? `${run.name} ${c.lowerBound ? '≥ ' : ''}${Math.round(sendsPerSecond(c))}` : `${run.name} below ${run.steps[0]?.rate ?? '?'}`;
    return {
      bare: sendsPerSecond(b),
      api: sendsPerSecond(a),
      share,
      bounded: b.lowerBound || a.lowerBound,
      line: `${figure(bare, b)} · ${figure(api, a)} · ${share === undefined ? 'no ratio' : `${boundMark(a, b)}${Math.round(share)}%`}`,
    };
  });
  const { api, bare } = rounds[0]!;
  const [apis, bares] = [medianOf(rows.map((r) => r.api)), medianOf(rows.map((r) => r.bare))];
  const shares = rows.flatMap((r) => (r.share === undefined ? [] : [r.share]));
  const ratio = shares.length > 0 ? medianOf(shares) : undefined;
  const bounded = rows.filter((r) => r.bounded).length;
  return [
    `\n${rounds.length} rounds, each stepping both targets anew (capacities in sends/s; the ratio is of deliveries/s):`,
    ...rows.map((row, i) => `  round ${i + 1}: ${row.line}`),
    `  median: ${api.name} ${Math.round(apis.median)} sends/s (${apis.range}) · ${bare.name} ${Math.round(bares.median)} (${bares.range}) · ` +
      (ratio ? `ratio ${Math.round(ratio.median)}% (${ratio.range})` : 'no ratio') +
      (bounded > 0 ? ` — in ${bounded} of ${rounds.length} rounds a capacity was only a lower bound (≥, ≤ above)` : ''),
  ];
}
