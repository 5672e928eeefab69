import type { QueryClient } from '@tanstack/react-query';
import { trpcClient } from '../../lib/trpc.ts';
import { applyMine } from './chat.cache.ts';
import type { OutgoingMessage } from './chat.history.ts';
import type { Outbox } from './chat.outbox.ts';

/**
 * Sends (or re-sends) a message from the outbox. The clientId stays the same across retries: if an earlier try
 * reached the server and only its answer was lost, the server returns that message instead of storing another.
 */
export async function sendFromOutbox(queryClient: QueryClient, outbox: Outbox, me: string, item: OutgoingMessage): Promise<void> {
  outbox.put({ ...item, status: 'sending' });
  try {
    const message = await trpcClient.messages.send.mutate({ roomId: item.roomId, body: item.body, clientId: item.clientId });
    applyMine(queryClient, message, me);
    outbox.remove(item.clientId);
  } catch {
    outbox.setStatus(item.clientId, 'failed');
  }
}
