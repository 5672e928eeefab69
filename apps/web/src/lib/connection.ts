import { CONNECTION_REPLACED_CLOSE_CODE, SESSION_ENDED_CLOSE_CODE } from '@youngchat/shared';

/**
 * What the person sees about the live connection: a few honest words, never a spinner forever. 'elsewhere': the
 * app took over in another window or device and this one waits for the person to choose it again.
 */
export type ConnectionStatus = 'connecting' | 'up-to-date' | 'offline' | 'elsewhere';

/** The subset of tRPC's WebSocket connection state the UI depends on (wsClient.connectionState), and why it closed. */
export interface WsConnectionSnapshot {
  /** tRPC's naming: 'pending' means the socket is open and requests flow; 'idle' means closed on purpose. */
  state: 'idle' | 'connecting' | 'pending';
  error: unknown;
  /** We closed the socket on purpose (sign-in or sign-out): the reconnect is expected, not a loss. */
  closedOnPurpose?: boolean;
  /** The server closed it for a newer connection of the same person (see closeMeaning): it stays closed. */
  openedElsewhere?: boolean;
}

/**
 * What a WebSocket closed with `code` means for the client:
 * - 'reconnect-expected': the server ended its session (token expired, logout); the reconnect carries a fresh token.
 * - 'opened-elsewhere': the person opened more connections than they may and this, the oldest, gave way. Reconnecting
 *   by itself would push out another of their windows, which would do the same, forever: wait for them instead.
 * - 'reconnect': anything else, TOO_MANY_CONNECTIONS_CLOSE_CODE included; the retries back off.
 */
export function closeMeaning(code: number | undefined): 'reconnect' | 'reconnect-expected' | 'opened-elsewhere' {
  if (code === SESSION_ENDED_CLOSE_CODE) return 'reconnect-expected';
  if (code === CONNECTION_REPLACED_CLOSE_CODE) return 'opened-elsewhere';
  return 'reconnect';
}

/**
 * tRPC reports both the first connect and every retry after a drop as 'connecting'; only the retries carry the
 * error that closed the socket, so that error is what tells "not there yet" from "lost it, trying again".
 */
export function toConnectionStatus(ws: WsConnectionSnapshot, browserOnline: boolean): ConnectionStatus {
  // First: no network coming back will reconnect it, only the person choosing this window.
  if (ws.openedElsewhere) return 'elsewhere';
  if (!browserOnline) return 'offline';
  switch (ws.state) {
    case 'pending':
      return 'up-to-date';
    case 'connecting':
      return ws.error == null || ws.closedOnPurpose ? 'connecting' : 'offline';
    case 'idle':
      return 'offline';
  }
}

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
