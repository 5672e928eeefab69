import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  isNonJsonSerializable,
  splitLink,
  wsLink,
  } from '@trpc/client';
import type { QueryClient } from '@tanstack/react-query';
import { createTRPCContext, createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@youngchat/api';
import { authRetryLink } from './auth-link.ts';
import {
  closeMeaning,
  reconnectDelayMs,
  sameOriginWsUrl,
  type WsConnectionSnapshot,
} from './connection.ts';
import { toProblem } from './problems.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The socket as the live chat feed needs it: tRPC's state, how many tries failed, and why it closed. */
export interface SocketSnapshot extends WsConnectionSnapshot {
  failedAttempts: number;
  closedOnPurpose: boolean;
  openedElsewhere: boolean;
}

/** What the API connection needs from whoever signs people in (features/auth), given when the app is put together. */
export interface ApiAuth {
  accessToken(): string | null;
  /** A call was refused as signed out: renew the session; true when a new token came. */
  renew(): Promise<boolean>;
}

export type Api = ReturnType<typeof createApi>;

/**
 * The app's one connection to the API: the WebSocket, the tRPC client over it and over HTTP, and what is known
 * about the socket. Made once by the composition root (app/services.ts); tests make their own.
 */
export function createApi({ queryClient, auth }: { queryClient: QueryClient; auth: ApiAuth }) {
  /** Set while a reconnect we caused or expected is under way, so it is not shown as a loss. */
  let switchingIdentity = false;
  /** The server closed the socket for a newer one of the same person; cleared when a socket opens again. */
  let openedElsewhere = false;
  /** Sockets in a row that failed or dropped since one was last open (the chat feed polls after a few). */
  let failedAttempts = 0;
  let lastFailedConnection: number | null = null;
  const connectionListeners = new Set<() => void>();
  function notifyConnection(): void {
    for (const listener of connectionListeners) listener();
  }

  /**
   * One socket for every subscription. wsClient records the id of each tracked() event it delivers and, after a
   * reconnect, re-sends open subscriptions with that id as `lastEventId`, so streams resume instead of restarting.
   */
  const wsClient = createWSClient({
    url: () => sameOriginWsUrl(window.location),
    // Read on every (re)connect: the server checks the token once per socket, so a reconnect carries the identity
    // of the moment, and a socket closed by the server when its token expired comes back with the renewed one.
    connectionParams: async () => {
      const accessToken = auth.accessToken();
      return accessToken ? { accessToken } : {};
    },
    // Without pings a half-open socket (laptop lid, lost Wi-Fi) would look "up to date" for minutes.
    keepAlive: { enabled: true },
    retryDelayMs: reconnectDelayMs,
    onClose: (event) => {
      switch (closeMeaning(event?.code)) {
        case 'reconnect-expected':
          // The server ended this socket's session on purpose (token expired, or logout): the reconnect that follows
          // is expected, so the status says "connecting", not "offline".
          switchingIdentity = true;
          notifyConnection();
          break;
        case 'opened-elsewhere':
          giveWay();
          break;
      }
    },
  });

  /**
   * A newer connection of the same person took this one's place (a 4409 close, or a long poll ended with
   * TOO_MANY_CONNECTIONS): stay closed until the person chooses this window again.
   */
  function giveWay(): void {
    // Set before closing: close() ends the subscriptions, and their owners must see why and not resubscribe
    // (a new subscription would open the socket again). close() also stops the retry wsClient schedules next.
    openedElsewhere = true;
    notifyConnection();
    void wsClient.close();
  }

  /**
   * Makes the socket reconnect so it speaks for whoever is signed in now, and resolves once the new socket is
   * open (or after `timeoutMs`, e.g. offline).
   *
   * Closing the raw socket, not `wsClient.close()`: the latter ends every subscription for good, while a dropped
   * socket makes wsClient reconnect at once and resume the open subscriptions. Callers wait for this before showing
   * the new person's screens, because in @trpc/client 11.22 a subscription started while the old socket is still
   * closing goes to a connection that the reconnect then closes, and fails ("Active connection is not open").
   * That includes a socket the server is closing already (it ends a session's sockets on logout): its close frame
   * can arrive just before the logout's answer, so it reads as closing, and the wait is for the socket after it.
   */
  function reconnectSocket(timeoutMs = 3_000): Promise<void> {
    if (wsClient.connectionState.get().state === 'idle') return Promise.resolve(); // it will read the token when it opens
    const connection = wsClient.connection;
    const old = connection?.ws ?? null;
    switchingIdentity = true;
    notifyConnection();
    const opened = nextOpenSocket(old, timeoutMs);
    if (old && (connection?.state === 'open' || connection?.state === 'connecting')) old.close(1000, 'identity changed');
    return opened;
  }

  /** Resolves when a socket other than `old` is open (tRPC's 'pending'), or after `timeoutMs`. */
  function nextOpenSocket(old: WebSocket | null, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let watching: { unsubscribe: () => void } | null = null;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        watching?.unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      watching = wsClient.connectionState.subscribe({
        next: (state) => {
          const ws = wsClient.connection?.ws ?? null;
          if (state.state === 'pending' && ws !== null && ws !== old) done();
        },
      });
      if (finished) watching.unsubscribe(); // the current state already was the answer
    });
  }

  function authHeaders(): Record<string, string> {
    const token = auth.accessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  const client = createTRPCClient<AppRouter>({
    links: [
      authRetryLink<AppRouter>({
        hadToken: () => auth.accessToken() !== null,
        isUnauthorized: (error) => toProblem(error).code === 'UNAUTHORIZED',
        refresh: () => auth.renew(),
        skip: (op) => op.path === 'auth.refresh',
      }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink<AppRouter>({ client: wsClient }),
        false: splitLink({
          // Files (profile pictures) go as multipart FormData, one request each: they cannot join a JSON batch.
          // A long poll waits up to ~25 s for events: in a batch it would hold back every call sent alongside it.
          condition: (op) => isNonJsonSerializable(op.input) || op.path === 'events.poll',
          true: httpLink({ url: '/trpc', headers: authHeaders }),
          false: httpBatchLink({ url: '/trpc', headers: authHeaders }),
        }),
      }),
    ],
  });

  wsClient.connectionState.subscribe({
    next: (state) => {
      if (state.state === 'pending') {
        failedAttempts = 0;
        lastFailedConnection = null;
        // Only something the person did here opens it again (signing in anew), and so takes the app back.
        openedElsewhere = false;
      } else if (state.state === 'connecting' && state.error != null && !switchingIdentity) {
        // One failed socket reports twice (error, then close): count sockets, not reports.
        const id = wsClient.connection?.id ?? null;
        if (id === null || id !== lastFailedConnection) failedAttempts++;
        lastFailedConnection = id;
      }
      if (state.state === 'pending' || state.state === 'idle') switchingIdentity = false;
      notifyConnection();
    },
  });

  function subscribeSocket(onChange: () => void): () => void {
    connectionListeners.add(onChange);
    window.addEventListener('online', onChange);
    window.addEventListener('offline', onChange);
    return () => {
      connectionListeners.delete(onChange);
      window.removeEventListener('online', onChange);
      window.removeEventListener('offline', onChange);
    };
  }

  function socketSnapshot(): SocketSnapshot {
    const { state, error } = wsClient.connectionState.get();
    return { state, error, failedAttempts, closedOnPurpose: switchingIdentity, openedElsewhere };
  }

  return {
    wsClient,
    client,
    /** Query keys and options outside React (the live event feed writes into the cache with these). */
    trpc: createTRPCOptionsProxy<AppRouter>({ client, queryClient }),
    socket: { get: socketSnapshot, subscribe: subscribeSocket },
    giveWay,
    reconnectSocket,
  };
}
