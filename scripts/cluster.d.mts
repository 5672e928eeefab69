import type { ChildProcess } from 'node:child_process';

export const NGINX_SITE: string;
export function freePort(): Promise<number>;
export function nginxConfig(options: { dir: string; listen: string; upstreams: number[] }): string;

export interface SupervisedProcess {
  name: string;
  child: ChildProcess;
  /** The exit code, the signal that ended it, or why it could not be started ("could not start: ENOENT"). */
  exited: Promise<number | string>;
  waitFor(test: (line: string) => boolean, what: string): Promise<void>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
  output(): string;
}

/** Runs `command`, keeping its output; `exited` also resolves (with the reason) when it cannot be started at all. */
export function supervise(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; show?: boolean; onLine?: (name: string, line: string) => void },
): SupervisedProcess;

export interface Cluster {
  /** nginx, where clients connect. */
  url: string;
  /** Each instance's own port, in order. */
  ports: number[];
  instances: SupervisedProcess[];
  nginx: SupervisedProcess;
  restart(i: number, options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<SupervisedProcess>;
  output(): string;
  stop(): Promise<void>;
}

export function startCluster(options: {
  instances?: number;
  /** nginx's port, on every address; without it, a free port of 127.0.0.1 only. */
  port?: number;
  /** Shared by the instances: stored files and the JWT secret. */
  dataDir: string;
  /** The services and anything else the API reads (DATABASE_URL, REDIS_URL, AMQP_URL, …). */
  env?: Record<string, string>;
  /** INSTANCE_ID is `<idPrefix>-<n>`. */
  idPrefix?: string;
  /** Print every process's output, prefixed by its name. */
  show?: boolean;
  /** Every line an instance writes (its JSON log), as it comes. */
  onLine?: (instance: string, line: string) => void;
}): Promise<Cluster>;
