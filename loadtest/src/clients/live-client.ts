// The real typed client as a person's app runs it: one WebSocket, one events.live stream for all their rooms,
// mutations over the same socket. Like the SPA's live feed it resumes from the last position it saw: the wsLink
// by itself after a reconnect, and this code after a stream error (e.g. SERVICE_UNAVAILABLE while busy).
import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import type { ChatEvent } from '@youngchat/shared';
import WebSocket from 'ws';
import { withTimeout } from '../pool.ts';

/** A failed stream is tried again after the server's retryAfterMs, or this long. */
const RESUBSCRIBE_AFTER_MS = 1_000;

/** The API's error code (`data.appCode`), or the message of an error that has none (a closed socket). */
export function appCodeOf(error: unknown): string {
  return (error as { data?: { appCode?: string } }).data?.appCode ?? (error as Error).message ?? String(error);
}

export interface LiveHandlers {
  /** Every event in stream order; `id` is the position of a durable one. */
  onEvent(event: ChatEvent, id: string | null): void;
  /** Counts an oddity (a socket closed by the server, a stream error by code). */
  note(what: string): void;
  /** The socket (re)opened: once at first, then on every reconnect. */
  onOpen?(): void;
  /** The stream (re)started: once at first, then after every reconnect or resubscription. */
  onStarted?(): void;
}

export interface LiveClient {
  trpc: TRPCClient<AppRouter>;
  /** The last durable position received: where a resubscription resumes; null before the first. */
  readonly position: string | null;
  /** Cuts the socket as a network would, with no close handshake; the client reconnects and resumes by itself. */
  drop(): void;
  close(): void;
}

/** Connects and subscribes; resolves once the stream has started, or closes the client and rejects. */
export async function openLiveClient(url: string, accessToken: string, handlers: LiveHandlers, timeoutMs: number): Promise<LiveClient> {
  let closing = false;
  let dropped = false;
  let lastEventId: string | null = null;
  let subscription: { unsubscribe(): void } | undefined;
  let retry: NodeJS.Timeout | undefined;
  let started!: () => void;
  const firstStart = new Promise<void>((resolve) => (started = resolve));
  const wsClient = createWSClient({
    url,
    WebSocket: WebSocket as never,
    connectionParams: async () => ({ accessToken }),
    onOpen: () => handlers.onOpen?.(),
    onClose: () => {
      if (!closing && !dropped) handlers.note('socket closed by server');
      dropped = false;
    },
    // A (re)connect that fails, by cause: the client then backs off 2, 4, 8… s before its next attempt.
    onError: (event) => handlers.note(`socket error: ${(event as { message?: string } | undefined)?.message ?? 'unknown'}`),
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  const subscribe = () => {
    subscription = trpc.events.live.subscribe(
      { lastEventId },
      {
        onStarted: () => {
          started();
          handlers.onStarted?.();
        },
        onData: (item) => {
          // Durable events come as tracked envelopes {id, data}; ephemeral ones (resync, presence) bare.
          const [event, id] = 'data' in item ? [item.data, item.id] : [item, null];
          if (id !== null) lastEventId = id;
          handlers.onEvent(event, id);
        },
        onError: (error) => {
          handlers.note(`stream error: ${appCodeOf(error)}`);
          if (closing) return;
          const after = (error as { data?: { retryAfterMs?: number } }).data?.retryAfterMs ?? RESUBSCRIBE_AFTER_MS;
          retry = setTimeout(subscribe, after);
        },
      },
    );
  };
  const close = () => {
    closing = true;
    clearTimeout(retry);
    subscription?.unsubscribe();
    void wsClient.close();
  };
  subscribe();
  try {
    await withTimeout(firstStart, timeoutMs, 'subscribing');
  } catch (error) {
    close();
    throw error;
  }
  return {
    trpc,
    get position() {
      return lastEventId;
    },
    drop() {
      dropped = true;
      (wsClient.connection?.ws as WebSocket | undefined)?.terminate();
    },
    close,
  };
}
