// Samples, over a window, what every process involved in a target used: the target's servers, the services it
// runs on, this generator and the whole machine; and lock waits on the run's database.
import os from 'node:os';
import pg from 'pg';
import type { ResourceUsage } from './bottleneck.ts';
import { sampleEventLoopLag } from './event-loop-lag.ts';
import { sleep } from './pool.ts';
import { machineCpu, mainThreadCpuSeconds, pidsNamed, processCpuSeconds, threadCpuSeconds } from './proc.ts';

/** What a target is made of, for sampling. */
export interface ResourceSpec {
  /** "API" or "bare server": the name a saturated main thread is reported under. */
  serverName: string;
  serverPids: number[];
  /** The run's own database: its backends' CPU and lock waits. */
  databaseUrl?: string | undefined;
  rabbitmq?: boolean;
  redis?: boolean;
  /** The generator's client threads (client-threads.ts), whose lag is the generator's as much as its own. */
  generatorThreads?: { sampleLag(): () => Promise<number> };
}

const LOCK_SAMPLE_MS = 200;

/** Server processes by command name, whether they are single-threaded (one core is all they get). */
const SERVICES = {
  PostgreSQL: { comm: 'postgres', singleThreaded: false },
  RabbitMQ: { comm: 'beam.smp', singleThreaded: false },
  Redis: { comm: 'redis-server', singleThreaded: true },
} as const;
type ServiceName = keyof typeof SERVICES;

const cpuByPid = (pids: number[]) => new Map(pids.map((pid) => [pid, processCpuSeconds(pid)]));

/**
 * The run's database as PostgreSQL sees it, every 200 ms: which backends serve it (the server's own background
 * processes included), and how many of them wait on a lock. Other databases on a shared server are not ours.
 */
async function watchDatabase(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {}); // the database may be dropped under it on Ctrl-C
  await client.connect();
  const pids = new Set<number>();
  const waiting: number[] = [];
  let sampling: Promise<void> = Promise.resolve();
  const sample = async () => {
    const { rows } = await client.query<{ pid: number; ours: boolean; waiting: boolean }>(
      `select pid, datname is not null as ours, wait_event_type = 'Lock' as waiting from pg_stat_activity
        where (datname = current_database() or datname is null) and pid <> pg_backend_pid()`,
    );
    for (const row of rows) pids.add(row.pid);
    waiting.push(rows.filter((r) => r.ours && r.waiting).length);
  };
  const timer = setInterval(() => {
    sampling = sampling.then(sample).catch(() => {});
  }, LOCK_SAMPLE_MS);
  await sample();
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      await client.end().catch(() => {});
      const meanWaiting = waiting.reduce((a, b) => a + b, 0) / waiting.length;
      return { pids, locks: { meanWaiting, maxWaiting: Math.max(...waiting) } };
    },
  };
}

/** Starts sampling; `stop` ends the window and returns the means over it. */
export async function watchResources(spec: ResourceSpec): Promise<{ stop(): Promise<ResourceUsage> }> {
  const services = (
    [
      ['PostgreSQL', Boolean(spec.databaseUrl)],
      ['RabbitMQ', Boolean(spec.rabbitmq)],
      ['Redis', Boolean(spec.redis)],
    ] as [ServiceName, boolean][]
  )
    .filter(([, used]) => used)
    .map(([name]) => name);
  const database = spec.databaseUrl ? await watchDatabase(spec.databaseUrl) : undefined;
  const pidsOf = (name: ServiceName) => pidsNamed(SERVICES[name].comm);
  const snapshot = () => ({
    at: performance.now(),
    machine: machineCpu(),
    mainThreads: spec.serverPids.map(mainThreadCpuSeconds),
    servers: spec.serverPids.map(processCpuSeconds),
    generatorThreads: threadCpuSeconds(process.pid),
    generator: processCpuSeconds(process.pid),
    services: new Map(services.map((name) => [name, cpuByPid(pidsOf(name))])),
  });
  const before = snapshot();
  const ownLag = sampleEventLoopLag();
  const threadsLag = spec.generatorThreads?.sampleLag();
  return {
    async stop() {
      const after = snapshot();
      const generatorLagP99Ms = Math.max(ownLag(), (await threadsLag?.()) ?? 0);
      const db = await database?.stop();
      const seconds = (after.at - before.at) / 1000;
      const percent = (cpuSeconds: number) => (100 * cpuSeconds) / seconds;
      const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
      const serverCpu = sum(after.servers) - sum(before.servers);
      return {
        seconds,
        cores: os.cpus().length,
        server: {
          name: spec.serverName,
          busiestMainThreadPct: Math.max(0, ...after.mainThreads.map((cpu, i) => percent(cpu - before.mainThreads[i]!))),
          pct: percent(serverCpu),
          cpuSeconds: serverCpu,
        },
        services: services.map((name) => {
          // A process that started during the window used all its CPU within it.
          const start = before.services.get(name)!;
          const used = [...after.services.get(name)!]
            .filter(([pid]) => name !== 'PostgreSQL' || db?.pids.has(pid))
            .reduce((total, [pid, cpu]) => total + cpu - (start.get(pid) ?? 0), 0);
          return { name, singleThreaded: SERVICES[name].singleThreaded, pct: percent(used), cpuSeconds: used };
        }),
        generator: {
          busiestThreadPct: Math.max(0, ...[...after.generatorThreads].map(([tid, cpu]) => percent(cpu - (before.generatorThreads.get(tid) ?? 0)))),
          pct: percent(after.generator - before.generator),
          lagP99Ms: generatorLagP99Ms,
        },
        machinePct:
          (100 * (after.machine.busySeconds - before.machine.busySeconds)) / (after.machine.totalSeconds - before.machine.totalSeconds),
        locks: db?.locks,
      };
    },
  };
}

const SETTLE_WINDOW_MS = 500;
const QUIET_PCT = 20;
const MAX_SETTLE_MS = 10_000;

/**
 * Waits until these processes are nearly idle, at most 10 s: work the connects or a previous step left queued
 * (presence, a replay, a slow drain) must not be charged to the next step.
 */
export async function settle(pids: number[]): Promise<void> {
  const cpu = () => pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  const deadline = performance.now() + MAX_SETTLE_MS;
  while (performance.now() < deadline) {
    const before = cpu();
    await sleep(SETTLE_WINDOW_MS);
    if ((100 * (cpu() - before)) / (SETTLE_WINDOW_MS / 1000) < QUIET_PCT) return;
  }
}
