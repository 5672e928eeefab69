// `npm run loadtest -- [--scenario chat|history|sockets|storm|chaos] [flags]` (flags: README "Load test").
// Starts each baseline and the API as separate processes on 127.0.0.1, drives them with the same generator in
// the same run, and prints its tables. Bounded: it stops by itself, and removes what it created.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { cleanUpOn } from './cleanup.ts';
import type { RoomSize } from './room-plan.ts';
import { FAULT_NAMES, runChaos, type FaultName } from './scenarios/chaos.ts';
import { runChat } from './scenarios/chat-fanout.ts';
import { runHistory } from './scenarios/history.ts';
import { runSockets } from './scenarios/sockets.ts';
import { runStorm } from './scenarios/storm.ts';

/** Sends/s across all users: far above what one machine's generator can offer. */
const MAX_RATE = 100_000;

const FLAGS = {
  scenario: { type: 'string', default: 'chat' },
  seconds: { type: 'string', default: '10' },
  // sockets and storm (5000)
  clients: { type: 'string' },
  // chat, history, storm
  users: { type: 'string', default: '1000' },
  'room-size': { type: 'string', default: '10' },
  rate: { type: 'string' },
  // chat's capacity search
  'start-rate': { type: 'string', default: '50' },
  factor: { type: 'string', default: '2' },
  'max-steps': { type: 'string', default: '10' },
  'max-seconds': { type: 'string', default: '300' },
  instances: { type: 'string', default: '1' },
  // chat: worker threads holding the users' connections (default: half the cores, the rest left to the servers)
  'client-threads': { type: 'string' },
  // chat and history: the comparison run again, medians reported
  rounds: { type: 'string', default: '1' },
  'cpu-prof': { type: 'boolean', default: false },
  // history
  depth: { type: 'string' },
  concurrency: { type: 'string', default: '1000' },
  // chaos
  faults: { type: 'string', default: FAULT_NAMES.join(',') },
  'fault-seconds': { type: 'string' },
  // services
  'database-url': { type: 'string' },
  'amqp-url': { type: 'string' },
  'redis-url': { type: 'string' },
} as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: FLAGS });

  /** Whole numbers from a comma-separated flag, each clamped to [min, max]; anything else stops the run. */
  const ints = (flag: keyof typeof FLAGS, min: number, max: number, fallback?: number): number[] => {
    const raw = values[flag];
    const list = raw === undefined && fallback !== undefined ? [fallback] : String(raw).split(',').map(Number);
    if (!list.every(Number.isInteger)) throw new Error(`--${flag}: expected whole numbers, got ${raw}`);
    return list.map((n) => Math.min(Math.max(n, min), max));
  };
  const int = (flag: keyof typeof FLAGS, min: number, max: number, fallback?: number): number => {
    const [n, ...more] = ints(flag, min, max, fallback);
    if (more.length > 0) throw new Error(`--${flag} takes one number`);
    return n!;
  };

  const seconds = int('seconds', 1, 120);
  /** 2…100 members per room, or the mix of room-plan.ts. */
  const roomSize = (): RoomSize => (values['room-size'] === 'mix' ? 'mix' : int('room-size', 2, 100));
  const databaseUrl = values['database-url'];
  const services = { databaseUrl, amqpUrl: values['amqp-url'], redisUrl: values['redis-url'] };
  switch (values.scenario) {
    case 'sockets':
      return runSockets({ clients: int('clients', 1, 50_000, 5_000), roomSize: roomSize(), ...services });
    case 'storm':
      // A modest stream: the storm, not the sends, is what is measured.
      return runStorm({ clients: int('clients', 2, 50_000, 5_000), roomSize: roomSize(), rate: int('rate', 1, 1_000, 50), seconds, ...services });
    case 'chat': {
      const instances = int('instances', 1, 8);
      if (instances > 1 && !(databaseUrl && values['amqp-url'])) {
        throw new Error('--instances above 1 needs --database-url (PGlite belongs to one process) and --amqp-url (to relay events)');
      }
      const factor = Number(values.factor);
      if (!(factor >= 1.1 && factor <= 10)) throw new Error(`--factor: expected a number from 1.1 to 10, got ${values.factor}`);
      return runChat({
        users: int('users', 2, 20_000),
        roomSize: roomSize(),
        search: {
          rates: values.rate === undefined ? undefined : ints('rate', 1, MAX_RATE),
          startRate: int('start-rate', 1, MAX_RATE),
          factor,
          maxRate: MAX_RATE,
          maxSteps: int('max-steps', 1, 30),
        },
        seconds,
        maxSeconds: int('max-seconds', 10, 3_600),
        instances,
        rounds: int('rounds', 1, 9),
        clientThreads: int('client-threads', 1, 64, Math.max(1, Math.floor(os.availableParallelism() / 2))),
        ...services,
        cpuProf: values['cpu-prof'],
      });
    }
    case 'chaos': {
      const faults = String(values.faults).split(',');
      const unknown = faults.filter((f) => !(FAULT_NAMES as readonly string[]).includes(f));
      if (unknown.length > 0) throw new Error(`--faults: ${unknown.join(', ')}? Choose from ${FAULT_NAMES.join(', ')}`);
      // The machine's own services unless told otherwise: the cluster needs all three.
      await runChaos({
        users: int('users', 2, 5_000),
        roomSize: roomSize(),
        rate: int('rate', 1, 2_000, 50),
        seconds,
        faults: faults as FaultName[],
        faultSeconds: values['fault-seconds'] === undefined ? undefined : int('fault-seconds', 1, 60),
        databaseUrl: databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        amqpUrl: values['amqp-url'] ?? 'amqp://guest:guest@127.0.0.1:5672',
        redisUrl: values['redis-url'] ?? 'redis://127.0.0.1:6379',
      });
      return;
    }
    case 'history':
      return runHistory({
        seconds,
        databaseUrl,
        // generate_series on PostgreSQL makes a million rows in seconds; PGlite is slower, so less by default.
        depth: int('depth', 1_000, 10_000_000, databaseUrl ? 1_000_000 : 100_000),
        concurrency: int('concurrency', 1, 2_000),
        users: int('users', 1, 5_000),
        rate: int('rate', 1, MAX_RATE, 4_000),
        rounds: int('rounds', 1, 9),
        cpuProf: values['cpu-prof'],
      });
    default:
      throw new Error(`--scenario must be chat, history, sockets, storm or chaos, not ${values.scenario}`);
  }
}

cleanUpOn(['SIGINT', 'SIGTERM']);
try {
  await main();
} catch (error) {
  console.error(`load test failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
// Clients the tRPC client would keep reconnecting (after a failure) must not keep the run alive.
process.exit();
