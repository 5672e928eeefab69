// Which resource ran out during a step: the answer a failing step owes besides "it failed".

/** Mean use over a step's sending window; CPU as % of one core. */
export interface ResourceUsage {
  seconds: number;
  cores: number;
  /** The target's own servers, Node processes: their JavaScript runs on one thread, so that thread saturates first. */
  server: { name: string; busiestMainThreadPct: number; pct: number; cpuSeconds: number };
  /** PostgreSQL, RabbitMQ, Redis where the target uses them (whole servers, shared with whatever else runs there). */
  services: { name: string; singleThreaded: boolean; pct: number; cpuSeconds: number }[];
  /** The load generator (this process): its busiest thread, the whole process, and how late its timers fired (the worst thread's p99). */
  generator: { busiestThreadPct: number; pct: number; lagP99Ms: number };
  /** Busy share of all cores. */
  machinePct: number;
  /** Backends of the run's database waiting on a lock, sampled every 200 ms; undefined without PostgreSQL. */
  locks: { meanWaiting: number; maxWaiting: number } | undefined;
}

/** At or above this a core (or, for the machine, every core) counts as used up: measurements jitter below 100%. */
export const SATURATED_PCT = 90;
/**
 * A generator whose event loop lags this much (a fifth of DESIGN §8's 100 ms bar) at p99 adds as much to the
 * latencies it takes: frames wait in its sockets until it reads them. Named, not invalidating: a target that
 * answers in bursts makes the same generator lag more than one that answers evenly.
 */
const GENERATOR_LAG_MS = 20;
/** A backend always waiting on a lock, on average, means the work is queueing on a lock rather than on CPU. */
const LOCK_WAITERS = 1;

export interface Bottleneck {
  /** What ran out, most telling first; "nothing saturated" when no resource did. */
  resources: string[];
  /**
   * The step measured something else than the target: the generator ran out, or the machine was full and
   * other processes (someone else's work on a shared machine) used more of it than the target did.
   */
  invalid: boolean;
}

const pct = (n: number) => `${Math.round(n)}%`;

export function limitedBy(u: ResourceUsage): Bottleneck {
  const resources: string[] = [];
  const generatorFull = u.generator.busiestThreadPct >= SATURATED_PCT;
  if (generatorFull) resources.push(`generator CPU ${pct(u.generator.busiestThreadPct)} (measurement invalid)`);
  if (u.server.busiestMainThreadPct >= SATURATED_PCT) resources.push(`${u.server.name} CPU ${pct(u.server.busiestMainThreadPct)}`);
  for (const s of u.services) if (s.singleThreaded && s.pct >= SATURATED_PCT) resources.push(`${s.name} CPU ${pct(s.pct)}`);
  let crowdedOut = false;
  if (u.machinePct >= SATURATED_PCT) {
    const target = [{ name: u.server.name, pct: u.server.pct }, ...u.services];
    const known = [...target, { name: 'generator', pct: u.generator.pct }];
    // On a shared machine, someone else's work may be what filled it.
    const others = u.machinePct * u.cores - known.reduce((sum, p) => sum + p.pct, 0);
    crowdedOut = others > target.reduce((sum, p) => sum + p.pct, 0);
    const users = [...known, { name: 'other processes', pct: others }].sort((a, b) => b.pct - a.pct);
    const biggest = users.filter((p) => p.pct >= 10).map((p) => `${p.name} ${pct(p.pct)}`);
    resources.push(
      `machine CPU ${pct(u.machinePct)} of ${u.cores} cores${biggest.length > 0 ? ` (${biggest.join(', ')})` : ''}` +
        (crowdedOut ? ' (measurement invalid: other processes used more than the target)' : ''),
    );
  }
  if (!generatorFull && u.generator.lagP99Ms >= GENERATOR_LAG_MS) {
    resources.push(`generator latency (its busiest thread ${Math.round(u.generator.busiestThreadPct)}% busy, lagging p99 ${Math.round(u.generator.lagP99Ms)} ms)`);
  }
  if (u.locks && u.locks.meanWaiting >= LOCK_WAITERS) {
    resources.push(`locks (${u.locks.meanWaiting.toFixed(1)} backends waiting on average, ${u.locks.maxWaiting} at most)`);
  }
  return { resources: resources.length > 0 ? resources : ['nothing saturated'], invalid: generatorFull || crowdedOut };
}
