import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { LatencyRecorder } from './metrics.ts';
import type { ServiceUrls } from './api/deployment.ts';
import type { ServerUsage } from './process-stats.ts';
import { formatTable } from './text-table.ts';

/** One target's measured window, whatever the scenario. */
export interface RunResult {
  connect: LatencyRecorder;
  deliver: LatencyRecorder;
  /** Length of the measured window. */
  seconds: number;
  /** Acknowledged sends within the window; undefined where the scenario sends nothing. */
  sends?: number;
  /** Sends skipped (the server was too far behind), failed, or never answered. */
  refused?: number;
  /** Deliveries within the window. */
  deliveries: number;
  expected: number;
  received: number;
  /** Owed deliveries that never arrived; undefined where the scenario cannot tell. */
  lost?: number;
  duplicates: number;
  outOfOrder: number;
  loadGeneratorCpuSeconds: number;
  server: ServerUsage;
  /** Counted oddities worth a line under the table: errors by code, socket closes, resyncs. */
  notes: Map<string, number>;
}

export const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
const perSecond = (n: number | undefined, seconds: number) => (n === undefined ? '-' : Math.round(n / seconds));

const require = createRequire(import.meta.url);

/** A dependency's version, from the package.json above its entry point (not every package exports that file). */
export function versionOf(pkg: string): string {
  for (let dir = path.dirname(require.resolve(pkg)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (manifest.name === pkg) return manifest.version;
  }
  return 'unknown';
}

export function environmentLines(versions: Record<string, string>): string[] {
  const cpus = os.cpus();
  return [
    `node ${process.version} · ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}) · ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · '),
  ];
}

/** The database and services a run's API targets use, for the header. */
export function servicesLine(options: ServiceUrls): string {
  return (options.databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)') + (options.amqpUrl ? ' · RabbitMQ' : '') + (options.redisUrl ? ' · Redis' : '');
}

export const P99_BAR_MS = 100;

/** The middle of several rounds' figures (`--rounds`), and their range. */
export function medianOf(values: number[]): { median: number; range: string } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, range: `range ${Math.round(sorted[0]!)}–${Math.round(sorted.at(-1)!)}` };
}

/** How a live fan-out step missed DESIGN §8's bar (p99 ≤ 100 ms, nothing lost, duplicated or reordered, every send answered); empty when it did not. */
export function barMisses(r: RunResult): string[] {
  const p99 = r.deliver.summary().p99;
  return [
    p99 > P99_BAR_MS ? `p99 ${ms(p99)} ms` : '',
    r.lost ? `${r.lost} lost` : '',
    r.duplicates > 0 ? `${r.duplicates} duplicated` : '',
    r.outOfOrder > 0 ? `${r.outOfOrder} out of order` : '',
    r.refused ? `${r.refused} sends refused` : '',
  ].filter(Boolean);
}

/** Send→deliver latency and the books: what was owed, what arrived, once and in order. */
export function deliveryColumns(r: RunResult): Record<string, string | number> {
  const deliver = r.deliver.summary();
  return {
    'deliver p50/p95/p99/max ms': `${ms(deliver.p50)} / ${ms(deliver.p95)} / ${ms(deliver.p99)} / ${ms(deliver.max)}`,
    'sends/s': perSecond(r.sends, r.seconds),
    'deliveries/s': perSecond(r.deliveries, r.seconds),
    'expected / received': `${r.expected} / ${r.received}`,
    lost: r.lost ?? '-',
    duplicates: r.duplicates,
    'out of order': r.outOfOrder,
  };
}

export function serverColumns(r: RunResult): Record<string, string | number> {
  return {
    'server RSS MB': Math.round(r.server.rssMb),
    'loop lag p99/max ms': `${ms(r.server.lagP99Ms)} / ${ms(r.server.lagMaxMs)}`,
  };
}

export function resultRow(name: string, r: RunResult): Record<string, string | number> {
  const connect = r.connect.summary();
  return {
    target: name,
    'connect p50/p99 ms': `${ms(connect.p50)} / ${ms(connect.p99)}`,
    ...deliveryColumns(r),
    'server CPU s': r.server.cpuSeconds.toFixed(2),
    ...serverColumns(r),
    'loadgen CPU s': r.loadGeneratorCpuSeconds.toFixed(2),
  };
}

/** The table, then one line per target with notes, then how each target compares with the first. */
export function printResults(results: [name: string, result: RunResult][], comparisons: [string, string][] = []): void {
  console.log(formatTable(results.map(([name, r]) => resultRow(name, r))));
  for (const [name, r] of results) {
    if (r.notes.size > 0) console.log(`${name}: ${[...r.notes].map(([what, n]) => `${n} × ${what}`).join(', ')}`);
  }
  const byName = new Map(results);
  const rate = (r: RunResult) => r.deliveries / r.seconds;
  for (const [name, baseline] of comparisons) {
    const ours = byName.get(name);
    const base = byName.get(baseline);
    if (!ours || !base) continue;
    console.log(
      `${name}: deliveries/s = ${Math.round((100 * rate(ours)) / rate(base))}% of ${baseline}` +
        ` · p99 ${ms(ours.deliver.summary().p99)} ms vs ${ms(base.deliver.summary().p99)} ms`,
    );
  }
}
