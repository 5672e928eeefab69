// The chat users' connections spread over worker threads. One thread cannot read the typed client's frames fast
// enough at the API's capacity (tRPC's client costs two to three times a bare socket per delivery): frames wait in its
// sockets and that wait is counted as the target's latency. The main thread keeps the pacing and the books; the
// threads only connect, send and read, and hand back what happened in one message per turn of their loops.
import { Worker } from 'node:worker_threads';
import type { ChatHandlers, Connect } from './chat-clients.ts';

/** How a thread makes its clients: plain data, as it crosses to the thread. */
export type ClientsSpec =
  /** `portOf[user]`: the bare server holding that user's rooms. */
  | { kind: 'bare'; portOf: number[]; roomsOf: string[][] }
  | { kind: 'trpc'; ports: number[]; userIds: string[]; tokens: string[] };

export type ToThread =
  | { op: 'connect'; index: number }
  | { op: 'send'; sends: [index: number, roomId: string, clientId: string, body: string][] }
  | { op: 'close'; index: number }
  | { op: 'lag'; start: boolean };

export type FromThread =
  | { op: 'connected'; index: number; failure?: string }
  | {
      op: 'batch';
      /** Flat: user index, roomId, clientId, seq, arrival (timeOrigin + now(), ms: one clock for every thread); repeated. */
      deliveries: (string | number)[];
      /** Flat: clientId, then null when acknowledged or the error code; repeated. */
      answered: (string | null)[];
      /** Flat: user index, what happened (ChatHandlers.note); repeated. */
      notes: (string | number)[];
    }
  | { op: 'lag'; p99: number };

export interface ClientThreads {
  connect: Connect;
  /** Starts sampling every thread's event-loop lag; the returned function gives the worst thread's p99. */
  sampleLag(): () => Promise<number>;
  close(): Promise<void>;
}

// The threads run TypeScript as this process does: tsx's loader is not inherited by a worker on Node 20.
const BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => {
  register();
  return import(${JSON.stringify(new URL('./client-thread.ts', import.meta.url).href)});
});`;

/** Starts `threads` threads making clients by `spec`; user `index` lives on thread index mod threads. */
export function clientThreads(threads: number, spec: ClientsSpec, timeoutMs: number): ClientThreads {
  const workers = Array.from({ length: threads }, () => new Worker(BOOT, { eval: true, workerData: { spec, timeoutMs } }));
  const handlers = new Map<number, ChatHandlers>();
  const connecting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const sending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const lags: ((p99: number) => void)[] = [];
  let failed: Error | undefined;
  let closing = false;

  const receive = (message: FromThread) => {
    switch (message.op) {
      case 'connected': {
        const waiting = connecting.get(message.index)!;
        connecting.delete(message.index);
        if (message.failure === undefined) waiting.resolve();
        else waiting.reject(new Error(message.failure));
        return;
      }
      case 'batch': {
        const d = message.deliveries;
        for (let i = 0; i < d.length; i += 5) {
          handlers.get(d[i] as number)?.deliver({
            roomId: d[i + 1] as string,
            clientId: d[i + 2] as string,
            seq: d[i + 3] as number,
            at: (d[i + 4] as number) - performance.timeOrigin,
          });
        }
        const a = message.answered;
        for (let i = 0; i < a.length; i += 2) {
          const waiting = sending.get(a[i]!)!;
          sending.delete(a[i]!);
          if (a[i + 1] === null) waiting.resolve();
          else waiting.reject(new Error(a[i + 1]!));
        }
        const n = message.notes;
        for (let i = 0; i < n.length; i += 2) handlers.get(n[i] as number)?.note(n[i + 1] as string);
        return;
      }
      case 'lag':
        lags.shift()?.(message.p99);
    }
  };
  // A thread that dies takes its users' connections with it: every wait fails (or, for lag, ends) rather than hangs.
  const die = (error: Error) => {
    failed ??= error;
    for (const waiting of [...connecting.values(), ...sending.values()]) waiting.reject(error);
    connecting.clear();
    sending.clear();
    for (const answer of lags.splice(0)) answer(0);
  };
  for (const worker of workers) {
    worker.on('message', receive).on('error', die);
    worker.on('exit', (code) => closing || die(new Error(`a client thread exited (code ${code})`)));
  }

  // Sends asked for in one turn (a pacer tick makes many) go to each thread as one message.
  type SendBatch = Extract<ToThread, { op: 'send' }>;
  let queued: SendBatch[] | undefined;
  const queueSend = (index: number, send: SendBatch['sends'][number]) => {
    if (!queued) {
      const batches = workers.map((): SendBatch => ({ op: 'send', sends: [] }));
      queued = batches;
      queueMicrotask(() => {
        batches.forEach((batch, t) => batch.sends.length > 0 && workers[t]!.postMessage(batch));
        queued = undefined;
      });
    }
    queued[index % threads]!.sends.push(send);
  };

  const connect: Connect = (index, chatHandlers) => {
    if (failed) return Promise.reject(failed);
    handlers.set(index, chatHandlers);
    const worker = workers[index % threads]!;
    return new Promise<void>((resolve, reject) => {
      connecting.set(index, { resolve, reject });
      worker.postMessage({ op: 'connect', index } satisfies ToThread);
    }).then(() => ({
      send: (roomId, clientId, body) =>
        new Promise<void>((resolve, reject) => {
          if (failed) return reject(failed);
          sending.set(clientId, { resolve, reject });
          queueSend(index, [index, roomId, clientId, body]);
        }),
      close: () => {
        handlers.delete(index);
        worker.postMessage({ op: 'close', index } satisfies ToThread);
      },
    }));
  };

  return {
    connect,
    sampleLag() {
      for (const worker of workers) worker.postMessage({ op: 'lag', start: true } satisfies ToThread);
      return async () => {
        if (failed) return 0;
        const answers = workers.map(() => new Promise<number>((resolve) => lags.push(resolve)));
        for (const worker of workers) worker.postMessage({ op: 'lag', start: false } satisfies ToThread);
        return Math.max(...(await Promise.all(answers)));
      };
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
