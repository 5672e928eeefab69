// `npm run loadtest -- [--clients N] [--seconds S] [--interval MS]`
// Starts the bare `ws` baseline and the embedded API as separate processes on 127.0.0.1, drives both
// with the same generator in the same run, and prints one table. Bounded: it stops by itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { processStats, spawnServer } from './process-stats.ts';
import { environmentLines, resultRow } from './report.ts';
import { bareWsFanout, trpcFanout, type FanoutOptions, type FanoutResult } from './scenarios/ticks-fanout.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    interval: { type: 'string', default: '100' },
  },
});
const options: FanoutOptions = {
  clients: Math.min(Number(values.clients), 5_000),
  seconds: Math.min(Number(values.seconds), 120),
  intervalMs: Math.max(Number(values.interval), 20),
};

const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
const here = path.dirname(new URL(import.meta.url).pathname);
const apiMain = path.resolve(here, '../../apps/api/src/main.ts');

console.log(['YOUng Chat load test: ticks fan-out', ...environmentLines({
  '@trpc/server': versionOf('@trpc/server'),
  ws: versionOf('ws'),
})].join('\n'));
console.log(`${options.clients} clients × ${options.seconds}s, one tick every ${options.intervalMs} ms\n`);

const rows: Record<string, string | number>[] = [];

/** Runs one target and records it with the server's CPU time and RSS over the measured window. */
async function measure(
  name: string,
  server: Awaited<ReturnType<typeof spawnServer>>,
  scenario: (port: number, options: FanoutOptions) => Promise<FanoutResult>,
): Promise<void> {
  try {
    const before = processStats(server.child.pid!);
    const result = await scenario(server.port, options);
    const after = processStats(server.child.pid!);
    rows.push(resultRow(name, result, { cpuSeconds: after.cpuSeconds - before.cpuSeconds, rssMb: after.rssMb }));
  } finally {
    await server.stop();
  }
}

await measure(
  'bare ws',
  await spawnServer([path.join(here, 'servers/bare-ws-broadcaster.ts'), String(options.intervalMs)]),
  bareWsFanout,
);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-loadtest-'));
try {
  await measure(
    'YOUng Chat (tRPC ws)',
    await spawnServer([apiMain], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' }),
    trpcFanout,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.table(rows);
const [bare, ours] = rows;
if (bare && ours) {
  console.log(`tRPC deliveries/s = ${Math.round((100 * Number(ours['deliveries/s'])) / Number(bare['deliveries/s']))}% of bare ws`);
}
