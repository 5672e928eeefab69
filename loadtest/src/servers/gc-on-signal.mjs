// Preloaded into a server (which then runs with --expose-gc) where memory is measured: SIGUSR2 runs a full
// garbage collection, so RSS is read with nothing collectable left on the heap. Plain JavaScript: the API's worker
// threads (PGlite's) inherit its preloads, and tsx's loader is not registered there (a .ts preload killed the worker).
// A worker has a heap of its own and hears no signals: the main thread tells it to collect too.
import { BroadcastChannel, isMainThread } from 'node:worker_threads';

const collect = () => globalThis.gc?.();
const channel = new BroadcastChannel('yc-gc-on-signal');
channel.unref();
if (isMainThread) {
  process.on('SIGUSR2', () => {
    collect();
    channel.postMessage('gc');
  });
} else {
  channel.onmessage = collect;
}
