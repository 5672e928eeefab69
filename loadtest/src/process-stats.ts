import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { undoOnInterrupt } from './cleanup.ts';
import { withTimeout } from './pool.ts';
import { processStats } from './proc.ts';

const START_TIMEOUT_MS = 60_000;
/** The API drains for SHUTDOWN_GRACE_MS first; past this it is killed. */
const STOP_TIMEOUT_MS = 15_000;
const SCRAPE_TIMEOUT_MS = 10_000;

export interface RunningServer {
  child: ChildProcess;
  port: number;
  /** Its warn and error log lines (pino JSON), counted by message and error. */
  problems: Map<string, number>;
  stop: () => Promise<void>;
}

const PINO_WARN = 40;

/** Starts a node server process that logs a JSON line with msg "listening" and its port. */
export function spawnServer(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RunningServer> {
  // The baselines and a preloaded helper are TypeScript (tsx first: a node argument may preload one); the API is
  // compiled and runs as plain JavaScript, as `npm start` runs it.
  const typescript = [...nodeArgs, ...args].some((arg) => arg.endsWith('.ts'));
  return spawnListening(process.execPath, [...(typescript ? ['--import', 'tsx'] : []), ...nodeArgs, ...args], env);
}

/** Runs `command` (npm start, say), which starts a server that logs "listening" as spawnServer's do. */
export async function spawnListening(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<RunningServer> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = undoOnInterrupt(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withTimeout(exited, STOP_TIMEOUT_MS, 'server stop').catch(() => {
      child.kill('SIGKILL');
      return exited;
    });
  });
  const problems = new Map<string, number>();
  const listening = new Promise<number>((resolve, reject) => {
    // Keeps reading after "listening" too: a full stdout pipe would stall the server.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; port?: number; err?: { message?: string } };
        if (entry.msg === 'listening' && entry.port) resolve(entry.port);
        if ((entry.level ?? 0) >= PINO_WARN) {
          const what = `logged "${entry.msg}"${entry.err?.message ? `: ${entry.err.message.slice(0, 100)}` : ''}`;
          problems.set(what, (problems.get(what) ?? 0) + 1);
        }
      } catch {
        // not a JSON line
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  try {
    return { child, port: await withTimeout(listening, START_TIMEOUT_MS, 'server start'), problems, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What the servers of one target used and logged over the measured window. */
export interface ServerUsage {
  cpuSeconds: number;
  rssMb: number;
  /** Event-loop lag from the API's /metrics (prom-client); NaN where a server has none or did not answer. */
  lagP99Ms: number;
  lagMaxMs: number;
  /**
   * The API's own time for a send over a WebSocket, from reading its frame to writing the answer (its
   * `ws_send_seconds` histogram over the window): the bucket bounds holding the median and the 99th percentile.
   * NaN without sends or without the histogram (the baselines).
   */
  answerP50Ms: number;
  answerP99Ms: number;
  /** Warn and error log lines written during the window. */
  problems: Map<string, number>;
}

export interface ServerWatch {
  start(): Promise<void>;
  stop(): Promise<ServerUsage>;
}

/**
 * CPU and RSS summed over a target's processes; event-loop lag, the worst of them. prom-client resets its
 * lag histogram at each scrape of /metrics, so the scrape at `start` begins the window and the one at `stop`
 * reads it.
 */
export function watchServers(servers: RunningServer[], options: { metrics: boolean }): ServerWatch {
  let cpuBefore = 0;
  let problemsBefore = new Map<string, number>();
  const cpuNow = () => servers.reduce((sum, s) => sum + processStats(s.child.pid!).cpuSeconds, 0);
  const problemsNow = () => {
    const all = new Map<string, number>();
    for (const s of servers) for (const [what, n] of s.problems) all.set(what, (all.get(what) ?? 0) + n);
    return all;
  };
  const urls = options.metrics ? servers.map((s) => `http://127.0.0.1:${s.port}/metrics`) : [];
  // A server too busy to answer within the timeout gets no lag figure rather than failing the run.
  const scrape = () =>
    Promise.all(urls.map((url) => withTimeout(fetch(url).then((r) => r.text()), SCRAPE_TIMEOUT_MS, url).catch(() => '')));
  const answers = (pages: string[]) => sumBuckets(pages.map((page) => promBuckets(page, ANSWER_HISTOGRAM)));
  let answersBefore = new Map<number, number>();
  return {
    async start() {
      answersBefore = answers(await scrape());
      cpuBefore = cpuNow();
      problemsBefore = problemsNow();
    },
    async stop() {
      const cpuSeconds = cpuNow() - cpuBefore;
      const rssMb = servers.reduce((sum, s) => sum + processStats(s.child.pid!).rssMb, 0);
      const pages = await scrape();
      const answered = bucketsSince(answersBefore, answers(pages));
      const worst = (name: string) => (pages.length === 0 ? Number.NaN : Math.max(...pages.map((page) => promValue(page, name) * 1000)));
      const problems = new Map(
        [...problemsNow()].map(([what, n]): [string, number] => [what, n - (problemsBefore.get(what) ?? 0)]).filter(([, n]) => n > 0),
      );
      return {
        cpuSeconds,
        rssMb,
        lagP99Ms: worst('nodejs_eventloop_lag_p99_seconds'),
        lagMaxMs: worst('nodejs_eventloop_lag_max_seconds'),
        answerP50Ms: 1000 * bucketQuantile(answered, 0.5),
        answerP99Ms: 1000 * bucketQuantile(answered, 0.99),
        problems,
      };
    },
  };
}

/** The value of an unlabelled metric in Prometheus' text format; NaN when absent. */
export function promValue(page: string, name: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

const ANSWER_HISTOGRAM = 'ws_send_seconds';

/** A Prometheus histogram's cumulative bucket counts by upper bound (seconds; +Inf included). */
export function promBuckets(page: string, name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  const prefix = `${name}_bucket{le="`;
  for (const line of page.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const end = line.indexOf('"', prefix.length);
    const bound = line.slice(prefix.length, end);
    buckets.set(bound === '+Inf' ? Infinity : Number(bound), Number(line.slice(line.indexOf('} ', end) + 2)));
  }
  return buckets;
}

function sumBuckets(all: Map<number, number>[]): Map<number, number> {
  const sum = new Map<number, number>();
  for (const buckets of all) for (const [le, n] of buckets) sum.set(le, (sum.get(le) ?? 0) + n);
  return sum;
}

/** What was counted between two scrapes of the same cumulative histogram. */
export function bucketsSince(before: Map<number, number>, after: Map<number, number>): Map<number, number> {
  return new Map([...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)]));
}

/** The upper bound of the bucket holding quantile `q` (Infinity past the last finite bound); NaN when empty. */
export function bucketQuantile(buckets: Map<number, number>, q: number): number {
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  return sorted.find(([, n]) => n >= q * total)![0];
}
