import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import WebSocket from 'ws';
import { DeliveryLedger, LatencyRecorder } from '../metrics.ts';

export interface FanoutOptions {
  clients: number;
  seconds: number;
  intervalMs: number;
}

export interface FanoutResult {
  connect: LatencyRecorder;
  deliver: LatencyRecorder;
  ledger: DeliveryLedger;
  expected: number;
  seconds: number;
  loadGeneratorCpuSeconds: number;
}

type Tick = { n: number; at: string };

/** Opens `clients` sockets with `open`, lets ticks flow for `seconds`, and measures every delivery. */
async function run(
  options: FanoutOptions,
  open: (onTick: (tick: Tick) => void) => Promise<() => void>,
): Promise<FanoutResult> {
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
  const cpuBefore = process.cpuUsage();
  ledger.received = 0;
  const measuredFrom = performance.now();
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  const seconds = (performance.now() - measuredFrom) / 1000;
  const received = ledger.received;
  for (const close of closers) close();
  const cpu = process.cpuUsage(cpuBefore);
  ledger.received = received;
  return {
    connect,
    deliver,
    ledger,
    expected: Math.floor((seconds * 1000) / options.intervalMs) * options.clients,
    seconds,
    loadGeneratorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** Raw `ws` clients against the bare broadcaster. */
export function bareWsFanout(port: number, options: FanoutOptions): Promise<FanoutResult> {
  return run(options, async (onTick) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    socket.on('message', (raw) => onTick((JSON.parse(raw.toString()) as { data: Tick }).data));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return () => socket.terminate();
  });
}

/** The real typed client: one WebSocket and one system.ticks subscription per simulated user. */
export function trpcFanout(port: number, options: FanoutOptions): Promise<FanoutResult> {
  return run(options, async (onTick) => {
    const wsClient = createWSClient({ url: `ws://127.0.0.1:${port}/trpc`, WebSocket: WebSocket as never });
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
