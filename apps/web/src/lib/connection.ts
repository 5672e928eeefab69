/** What the person sees about the live connection: one of three honest words, never a spinner forever. */
export type ConnectionStatus = 'connecting' | 'up-to-date' | 'offline';

/** The subset of tRPC's WebSocket connection state the UI depends on (wsClient.connectionState). */
export interface WsConnectionSnapshot {
  /** tRPC's naming: 'pending' means the socket is open and requests flow; 'idle' means closed on purpose. */
  state: 'idle' | 'connecting' | 'pending';
  error: unknown;
}

/**
 * tRPC reports both the first connect and every retry after a drop as 'connecting'; only the retries carry the
 * error that closed the socket, so that error is what tells "not there yet" from "lost it, trying again".
 */
export function toConnectionStatus(ws: WsConnectionSnapshot, browserOnline: boolean): ConnectionStatus {
  if (!browserOnline) return 'offline';
  switch (ws.state) {
    case 'pending':
      return 'up-to-date';
    case 'connecting':
      return ws.error == null ? 'connecting' : 'offline';
    case 'idle':
      return 'offline';
  }
}

export const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  'up-to-date': 'Up to date',
  offline: 'Offline — trying to reconnect…',
};

/** The WebSocket endpoint on the page's own origin, so one deployment serves HTTP and WS on the same port. */
export function sameOriginWsUrl(location: Pick<Location, 'protocol' | 'host'>, path = '/trpc'): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}
