import os from 'node:os';
import type { FanoutResult } from './scenarios/ticks-fanout.ts';

const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));

export function environmentLines(versions: Record<string, string>): string[] {
  const cpus = os.cpus();
  return [
    `node ${process.version} · ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}) · ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · '),
  ];
}

export function resultRow(
  name: string,
  r: FanoutResult,
  server: { cpuSeconds: number; rssMb: number },
): Record<string, string | number> {
  const connect = r.connect.summary();
  const deliver = r.deliver.summary();
  return {
    target: name,
    'connect p50/p99 ms': `${ms(connect.p50)} / ${ms(connect.p99)}`,
    'deliver p50/p95/p99/max ms': `${ms(deliver.p50)} / ${ms(deliver.p95)} / ${ms(deliver.p99)} / ${ms(deliver.max)}`,
    'deliveries/s': Math.round(r.ledger.received / r.seconds),
    'expected ≈ / received': `${r.expected} / ${r.ledger.received}`,
    duplicates: r.ledger.duplicates,
    'out of order': r.ledger.outOfOrder,
    'server CPU s': server.cpuSeconds.toFixed(2),
    'server RSS MB': Math.round(server.rssMb),
    'loadgen CPU s': r.loadGeneratorCpuSeconds.toFixed(2),
  };
}
