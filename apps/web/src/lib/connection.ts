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
export function toConnectionStatus(
  ws: WsConnectionSnapshot,
  browserOnline: boolean,
  /** We closed the socket on purpose (sign-in or sign-out): the reconnect is expected, not a loss. */
  closedOnPurpose = false,
): ConnectionStatus {
  if (!browserOnline) return 'offline';
  switch (ws.state) {
    case 'pending':
      return 'up-to-date';
    case 'connecting':
      return ws.error == null || closedOnPurpose ? 'connecting' : 'offline';
    case 'idle':
      return 'offline';
  }
}

/** i18n keys (lib/locales) for each status. */
export const CONNECTION_LABEL_KEYS = {
  connecting: 'system.connecting',
  'up-to-date': 'system.upToDate',
  offline: 'system.offline',
} as const satisfies Record<ConnectionStatus, string>;

/** The WebSocket endpoint on the page's own origin, so one deployment serves HTTP and WS on the same port. */
export function sameOriginWsUrl(location: Pick<Location, 'protocol' | 'host'>, path = '/trpc'): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}

/**
 * How long to wait before reconnect attempt `attempt` (0 = the first after a drop): exponential up to 30 s, with
 * full jitter, so that thousands of clients dropped together (a restart, a network blip) come back spread out
 * instead of at one instant.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(random() * ceiling);
}
