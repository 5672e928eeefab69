import type { WebSocket } from 'ws';

/**
 * A client that stops reading makes its socket buffer grow without bound. Past `maxBufferedBytes` the socket
 * is cut: the client reconnects and resumes from its last event id (or gets `resync`), and memory stays flat.
 * Returns how many were cut.
 */
export function cutSlowConsumers(clients: Iterable<WebSocket>, maxBufferedBytes: number): number {
  let cut = 0;
  for (const ws of clients) {
    if (ws.bufferedAmount > maxBufferedBytes) {
      ws.terminate();
      cut += 1;
    }
  }
  return cut;
}
