// A worker thread holding a share of the chat users' connections (see client-threads.ts): it connects them, sends
// what the main thread asks, and hands back deliveries, answers and notes in one message per turn of its loop.
import { parentPort, workerData } from 'node:worker_threads';
import { sampleEventLoopLag } from '../event-loop-lag.ts';
import { bareWsChat, trpcChat, type ChatClient } from './chat-clients.ts';
import type { ClientsSpec, FromThread, ToThread } from './client-threads.ts';
import { appCodeOf } from './live-client.ts';

const { spec, timeoutMs } = workerData as { spec: ClientsSpec; timeoutMs: number };
const connect =
  spec.kind === 'bare'
    ? bareWsChat((index) => spec.portOf[index]!, (index) => spec.roomsOf[index]!, timeoutMs)
    : trpcChat(spec.ports, spec.userIds, spec.tokens, timeoutMs);
const clients = new Map<number, ChatClient>();
const port = parentPort!;
const post = (message: FromThread) => port.postMessage(message);

let batch: Extract<FromThread, { op: 'batch' }> | undefined;
/** The batch being filled this turn; sent once the turn's I/O callbacks have all run. */
function current() {
  if (!batch) {
    batch = { op: 'batch', deliveries: [], answered: [], notes: [] };
    setImmediate(() => {
      post(batch!);
      batch = undefined;
    });
  }
  return batch;
}

let stopLag: (() => number) | undefined;

port.on('message', (message: ToThread) => {
  switch (message.op) {
    case 'connect': {
      const { index } = message;
      connect(index, {
        // A thread's performance.now() counts from its own time origin, which need not be the main thread's.
        deliver: (d) => current().deliveries.push(index, d.roomId, d.clientId, d.seq, d.at + performance.timeOrigin),
        note: (what) => current().notes.push(index, what),
      }).then(
        (client) => {
          clients.set(index, client);
          post({ op: 'connected', index });
        },
        (error: unknown) => post({ op: 'connected', index, failure: appCodeOf(error) }),
      );
      return;
    }
    case 'send':
      for (const [index, roomId, clientId, body] of message.sends) {
        const client = clients.get(index);
        if (!client) {
          current().answered.push(clientId, 'client closed');
          continue;
        }
        client.send(roomId, clientId, body).then(
          () => current().answered.push(clientId, null),
          (error: unknown) => current().answered.push(clientId, appCodeOf(error)),
        );
      }
      return;
    case 'close':
      clients.get(message.index)?.close();
      clients.delete(message.index);
      return;
    case 'lag':
      if (message.start) stopLag = sampleEventLoopLag();
      else post({ op: 'lag', p99: stopLag?.() ?? 0 });
  }
});
