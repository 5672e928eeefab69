import type { QueryClient } from '@tanstack/react-query';
import { trpcClient } from '../../lib/trpc.ts';
import { applyMine } from './chat.cache.ts';
import type { OutgoingMessage } from './chat.history.ts';
import type { Delivery, Outbox } from './chat.outbox.ts';

/** Through the API; the answer goes into the cache at once, whether or not its live event comes first. */
function delivery(queryClient: QueryClient, me: string): Delivery {
  return {
    send: (input) => trpcClient.messages.send.mutate(input),
    sent: (message) => applyMine(queryClient, message, me),
  };
}

/** Sends (or re-sends) a message from the outbox. */
export function sendFromOutbox(queryClient: QueryClient, outbox: Outbox, me: string, item: OutgoingMessage): Promise<void> {
  return outbox.send(item, delivery(queryClient, me));
}

/** The live connection is back: what waited for it goes now, once. */
export function resendWaiting(queryClient: QueryClient, outbox: Outbox, me: string): Promise<void> {
  return outbox.resendWaiting(delivery(queryClient, me));
}
