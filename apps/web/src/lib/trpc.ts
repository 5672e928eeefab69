import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useSyncExternalStore } from 'react';
import type { AppRouter } from '@youngchat/api';
import { toConnectionStatus, sameOriginWsUrl, type ConnectionStatus } from './connection.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * One socket for every subscription. wsClient records the id of each tracked() event it delivers and, after a
 * reconnect, re-sends open subscriptions with that id as `lastEventId`, so streams resume instead of restarting.
 */
export const wsClient = createWSClient({
  url: () => sameOriginWsUrl(window.location),
  // A function so that every reconnect re-reads credentials; auth will put { accessToken } here.
  connectionParams: async () => ({}),
  // Without pings a half-open socket (laptop lid, lost Wi-Fi) would look "up to date" for minutes.
  keepAlive: { enabled: true },
});

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink<AppRouter>({ client: wsClient }),
      false: httpBatchLink({ url: '/trpc' }),
    }),
  ],
});

function subscribeConnection(onChange: () => void): () => void {
  const subscription = wsClient.connectionState.subscribe({ next: onChange });
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    subscription.unsubscribe();
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

// useSyncExternalStore compares snapshots with Object.is, so return the derived string, not a fresh object.
function connectionSnapshot(): ConnectionStatus {
  return toConnectionStatus(wsClient.connectionState.get(), navigator.onLine);
}

/** The live connection as the person should understand it: connecting, up to date, or offline. */
export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(subscribeConnection, connectionSnapshot);
}
