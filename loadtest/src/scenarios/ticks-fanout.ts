// Smoke test of the connection path: the API runs one `system.ticks` timer per subscription while the
// baseline broadcasts one tick to all sockets, so delivery latencies are not comparable.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import WebSocket from 'ws';
import { DeliveryLedger, LatencyRecorder } from '../metrics.ts';
import { spawnServer, watchServers, type RunningServer, type ServerWatch } from '../process-stats.ts';
import { environmentLines, printResults, versionOf, type RunResult } from '../report.ts';
import { API_MAIN, SERVERS_DIR } from '../paths.ts';

export interface TicksOptions {
  clients: number;
  seconds: number;
  intervalMs: number;
}

type Tick = { n: number; at: string };

/** Opens `clients` sockets with `open`, lets ticks flow for `seconds`, and measures every delivery. */
async function run(
  options: TicksOptions,
  watch: ServerWatch,
  open: (onTick: (tick: Tick) => void) => Promise<() => void>,
): Promise<RunResult> {
  const connect = new LatencyRecorder();
  const deliver = new LatencyRecorder();
  const ledger = new DeliveryLedger();
  const firstSeen: number[] = [];
  const closers: (() => void)[] = [];
  for (let i = 0; i < options.clients; i++) {
    const started = performance.now();
    closers.push(
      await open((tick) => {
        deliver.record(Date.now() - Date.parse(tick.at));
        ledger.record(String(i), tick.n - (firstSeen[i] ??= tick.n) + 1);
      }),
    );
    connect.record(performance.now() - started);
  }
  await watch.start();
  const cpuBefore = process.cpuUsage();
  ledger.received = 0;
  const measuredFrom = performance.now();
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  const seconds = (performance.now() - measuredFrom) / 1000;
  const received = ledger.received;
  const server = await watch.stop();
  for (const close of closers) close();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    connect,
    deliver,
    seconds,
    deliveries: received,
    expected: Math.floor((seconds * 1000) / options.intervalMs) * options.clients,
    received,
    duplicates: ledger.duplicates,
    outOfOrder: ledger.outOfOrder,
    loadGeneratorCpuSeconds: (cpu.user + cpu.system) / 1e6,
    server,
    notes: server.problems,
  };
}

/** Raw `ws` clients against the bare broadcaster. */
function bareWsFanout(server: RunningServer, options: TicksOptions): Promise<RunResult> {
  return run(options, watchServers([server], { metrics: false }), async (onTick) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}`, { perMessageDeflate: false });
    socket.on('message', (raw) => onTick((JSON.parse(raw.toString()) as { data: Tick }).data));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return () => socket.terminate();
  });
}

/** The real typed client: one WebSocket and one system.ticks subscription per simulated user. */
function trpcFanout(server: RunningServer, options: TicksOptions): Promise<RunResult> {
  return run(options, watchServers([server], { metrics: true }), async (onTick) => {
    const wsClient = createWSClient({ url: `ws://127.0.0.1:${server.port}/trpc`, WebSocket: WebSocket as never });
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    let started!: () => void;
    const subscribed = new Promise<void>((resolve) => (started = resolve));
    const subscription = client.system.ticks.subscribe(
      { intervalMs: options.intervalMs },
      { onStarted: () => started(), onData: ({ data }) => onTick(data) },
    );
    await subscribed;
    return () => {
      subscription.unsubscribe();
      void wsClient.close();
    };
  });
}

/** Runs one target and stops its server, whatever happens. */
async function measure(
  server: RunningServer,
  scenario: (server: RunningServer, options: TicksOptions) => Promise<RunResult>,
  options: TicksOptions,
): Promise<RunResult> {
  try {
    return await scenario(server, options);
  } finally {
    await server.stop();
  }
}

export async function runTicks(options: TicksOptions): Promise<void> {
  console.log(['YOUng Chat load test: ticks fan-out', ...environmentLines({
    '@trpc/server': versionOf('@trpc/server'),
    ws: versionOf('ws'),
  })].join('\n'));
  console.log(`${options.clients} clients × ${options.seconds}s, one tick every ${options.intervalMs} ms\n`);

  const bare = await measure(
    await spawnServer([path.join(SERVERS_DIR, 'bare-ws-broadcaster.ts'), String(options.intervalMs)]),
    bareWsFanout,
    options,
  );
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-loadtest-'));
  try {
    const ours = await measure(
      await spawnServer([API_MAIN], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' }),
      trpcFanout,
      options,
    );
    printResults([['bare ws', bare], ['YOUng Chat (tRPC ws)', ours]], [['YOUng Chat (tRPC ws)', 'bare ws']]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
