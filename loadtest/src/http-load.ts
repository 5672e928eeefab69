// HTTP load in the two shapes DESIGN §8 asks for: a closed loop (a fixed number of requests always in flight, so
// throughput is what the server saturates at) and an open loop (requests on a schedule whatever the answers, so
// latency is what a user waits at an offered rate, queueing included).
import http from 'node:http';
import type { ResourceUsage } from './bottleneck.ts';
import { LatencyRecorder } from './metrics.ts';
import { pace } from './pacer.ts';
import { withTimeout } from './pool.ts';
import type { ServerUsage, ServerWatch } from './process-stats.ts';
import { watchResources, type ResourceSpec } from './resources.ts';

const REQUEST_TIMEOUT_MS = 30_000;

/** GET that resolves once a 200 answer is read whole; anything else rejects with the status. */
export function get(agent: http.Agent, url: string, headers: Record<string, string> = {}): Promise<void> {
  return withTimeout(
    new Promise((resolve, reject) => {
      http
        .get(url, { agent, headers }, (res) => {
          res.on('data', () => {});
          res.once('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
          res.once('error', reject);
        })
        .once('error', reject);
    }),
    REQUEST_TIMEOUT_MS,
    'request',
  );
}

/**
 * One keep-alive connection per user at most, all kept while idle (an agent keeps only 256 by default and closes the
 * rest, so every burst past 256 in flight would open connections anew).
 */
export const usersAgent = (users: number) => new http.Agent({ keepAlive: true, maxSockets: users, maxFreeSockets: users });

/** Opens every user's connection: each asks once, at the same time, answered or not. */
export async function connectUsers(agent: http.Agent, users: number, request: Request): Promise<void> {
  await Promise.all(Array.from({ length: users }, (_, user) => request(agent, user, 0).catch(() => undefined)));
}

/** One request of user `user`, their `n`th (from 0). */
export type Request = (agent: http.Agent, user: number, n: number) => Promise<void>;

export interface LoopResult {
  latency: LatencyRecorder;
  seconds: number;
  /** The schedule's rate (open loop); undefined for a closed loop. */
  offeredPerSecond?: number;
  errors: Map<string, number>;
  loadGeneratorCpuSeconds: number;
  server: ServerUsage;
  resources: ResourceUsage;
}

export interface Load {
  seconds: number;
  watch: ServerWatch;
  resources: ResourceSpec;
}

interface Books {
  /** Books a request's latency from `started`, or its error. */
  record(started: number, request: Promise<void>): Promise<void>;
  fail(what: string): void;
}

/**
 * Watches the target while `body` runs the load of `users` on a keep-alive agent; `body` returns the rate it offered.
 * The users are connected before the clock starts (each asks once, unmeasured): DESIGN §8's users are connected ones,
 * and a thousand connects in the first quarter second of an open loop would be measured as the pages' latency.
 */
async function measure(
  load: Load,
  users: number,
  request: Request,
  body: (agent: http.Agent, books: Books) => Promise<number | undefined>,
): Promise<LoopResult> {
  const latency = new LatencyRecorder();
  const errors = new Map<string, number>();
  const fail = (what: string) => void errors.set(what, (errors.get(what) ?? 0) + 1);
  const record = (started: number, answered: Promise<void>) =>
    answered.then(
      () => latency.record(performance.now() - started),
      (error: unknown) => fail((error as Error).message),
    );
  const agent = usersAgent(users);
  try {
    await connectUsers(agent, users, request);
    await load.watch.start();
    const resources = await watchResources(load.resources);
    const cpuBefore = process.cpuUsage();
    const from = performance.now();
    const offeredPerSecond = await body(agent, { record, fail });
    const seconds = (performance.now() - from) / 1000;
    const usage = await resources.stop();
    const server = await load.watch.stop();
    const cpu = process.cpuUsage(cpuBefore);
    for (const [what, n] of server.problems) errors.set(what, n);
    return { latency, seconds, offeredPerSecond, errors, loadGeneratorCpuSeconds: (cpu.user + cpu.system) / 1e6, server, resources: usage };
  } finally {
    agent.destroy();
  }
}

/**
 * Unmeasured requests before a target's loops, `users` in flight for `seconds`: a server just started answers its
 * first thousands of requests from cold code (the API's bundle far more than a bare server), and every round of a
 * comparison starts both anew.
 */
export async function warmUp(users: number, seconds: number, request: Request): Promise<void> {
  const agent = usersAgent(users);
  const deadline = performance.now() + seconds * 1000;
  const user = async (index: number) => {
    for (let n = 0; performance.now() < deadline; n++) await request(agent, index, n).catch(() => undefined);
  };
  try {
    await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
  } finally {
    agent.destroy();
  }
}

/** `users` requests always in flight for `seconds`: each user asks again as soon as it has its answer. */
export function closedLoop(load: Load, users: number, request: Request): Promise<LoopResult> {
  return measure(load, users, request, async (agent, { record }) => {
    const deadline = performance.now() + load.seconds * 1000;
    const user = async (index: number) => {
      for (let n = 0; performance.now() < deadline; n++) await record(performance.now(), request(agent, index, n));
    };
    await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
    return undefined;
  });
}

/**
 * `rate` requests/s across `users` (round-robin) for `seconds`, on schedule whether or not earlier ones were
 * answered; latency counts from when a request was due, so queueing in the generator or the server shows. Past a
 * second's worth unanswered, due requests are skipped and counted as errors, which keeps an overloaded run short.
 */
export function openLoop(load: Load, users: number, rate: number, request: Request): Promise<LoopResult> {
  return measure(load, users, request, async (agent, { record, fail }) => {
    const sentBy = new Array<number>(users).fill(0);
    const pending = new Set<Promise<void>>();
    const from = performance.now();
    await pace(
      rate,
      (n) => {
        if (pending.size >= rate) return fail('skipped: a second of requests unanswered');
        const user = n % users;
        const answered = record(from + (n / rate) * 1000, request(agent, user, sentBy[user]!++));
        pending.add(answered);
        void answered.finally(() => pending.delete(answered));
      },
      Math.round(rate * load.seconds),
    ).done;
    await Promise.all(pending);
    return rate;
  });
}
