import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  isNonJsonSerializable,
  splitLink,
  wsLink,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useSyncExternalStore } from 'react';
import type { AppRouter } from '@youngchat/api';
import { SESSION_ENDED_CLOSE_CODE } from '@youngchat/shared';
import { getAccessToken } from '../features/auth/auth.store.ts';
import { authRetryLink } from './auth-link.ts';
import { toConnectionStatus, sameOriginWsUrl, type ConnectionStatus } from './connection.ts';
import { toProblem } from './problems.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Set while a reconnect we caused or expected is under way, so it is not shown as a loss. */
let switchingIdentity = false;
const connectionListeners = new Set<() => void>();
function notifyConnection(): void {
  for (const listener of connectionListeners) listener();
}

/**
 * One socket for every subscription. wsClient records the id of each tracked() event it delivers and, after a
 * reconnect, re-sends open subscriptions with that id as `lastEventId`, so streams resume instead of restarting.
 */
export const wsClient = createWSClient({
  url: () => sameOriginWsUrl(window.location),
  // Read on every (re)connect: the server checks the token once per socket, so a reconnect carries the identity
  // of the moment, and a socket closed by the server when its token expired comes back with the renewed one.
  connectionParams: async () => {
    const accessToken = getAccessToken();
    return accessToken ? { accessToken } : {};
  },
  // Without pings a half-open socket (laptop lid, lost Wi-Fi) would look "up to date" for minutes.
  keepAlive: { enabled: true },
  onClose: (event) => {
    // The server ended this socket's session on purpose (token expired, or logout): the reconnect that follows
    // is expected, so the status says "connecting", not "offline".
    if (event?.code === SESSION_ENDED_CLOSE_CODE) {
      switchingIdentity = true;
      notifyConnection();
    }
  },
});

/**
 * Makes the socket reconnect so it speaks for whoever is signed in now, and resolves once the new socket is
 * open (or after `timeoutMs`, e.g. offline).
 *
 * Closing the raw socket, not `wsClient.close()`: the latter ends every subscription for good, while a dropped
 * socket makes wsClient reconnect at once and resume the open subscriptions. Callers wait for this before showing
 * the new person's screens, because in @trpc/client 11.22 a subscription started while the old socket is still
 * closing goes to a connection that the reconnect then closes, and fails ("Active connection is not open").
 */
export function reconnectSocket(timeoutMs = 3_000): Promise<void> {
  const connection = wsClient.connection;
  if (!connection || connection.state === 'closed') return Promise.resolve(); // it will read the token when it opens
  const old = connection.ws;
  switchingIdentity = true;
  notifyConnection();
  return new Promise<void>((resolve) => {
    let finished = false;
    let watching: { unsubscribe: () => void } | null = null;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      watching?.unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    old.addEventListener(
      'close',
      () => {
        // wsClient's own close listener ran first and started the reconnect; wait for the new socket.
        watching = wsClient.connectionState.subscribe({
          next: (state) => {
            if (state.state === 'pending' && wsClient.connection?.ws !== old) done();
          },
        });
        if (finished) watching.unsubscribe(); // the current state already was the answer
      },
      { once: true },
    );
    old.close(1000, 'identity changed');
  });
}

function authHeaders(): Record<string, string> {
  const token = getAccessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

let unauthorizedHandler: (() => Promise<boolean>) | null = null;

/** The auth feature plugs its refresh in here (it needs this client to call auth.refresh, hence no import). */
export function setUnauthorizedHandler(handler: () => Promise<boolean>): void {
  unauthorizedHandler = handler;
}

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    authRetryLink<AppRouter>({
      hadToken: () => getAccessToken() !== null,
      isUnauthorized: (error) => toProblem(error).code === 'UNAUTHORIZED',
      refresh: () => unauthorizedHandler?.() ?? Promise.resolve(false),
      skip: (op) => op.path === 'auth.refresh',
    }),
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink<AppRouter>({ client: wsClient }),
      false: splitLink({
        // Files (profile pictures) go as multipart FormData, one request each: they cannot join a JSON batch.
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink({ url: '/trpc', headers: authHeaders }),
        false: httpBatchLink({ url: '/trpc', headers: authHeaders }),
      }),
    }),
  ],
});

wsClient.connectionState.subscribe({
  next: (state) => {
    if (state.state === 'pending' || state.state === 'idle') switchingIdentity = false;
    notifyConnection();
  },
});

function subscribeConnection(onChange: () => void): () => void {
  connectionListeners.add(onChange);
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    connectionListeners.delete(onChange);
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

// useSyncExternalStore compares snapshots with Object.is, so return the derived string, not a fresh object.
function connectionSnapshot(): ConnectionStatus {
  return toConnectionStatus(wsClient.connectionState.get(), navigator.onLine, switchingIdentity);
}

/** The live connection as the person should understand it: connecting, up to date, or offline. */
export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(subscribeConnection, connectionSnapshot);
}
