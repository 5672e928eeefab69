import { createTRPCClient, createWSClient, httpSubscriptionLink, wsLink } from '@trpc/client';
import type { ChatEvent, Session } from '@youngchat/shared';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import type { AppRouter } from '../src/index.ts';
import type { TestServer } from './harness.ts';

export interface Received {
  id: string | null;
  event: ChatEvent;
}

/** A user's live stream over a real transport, collecting what arrives. */
export function listen(server: TestServer, session: Session, transport: 'ws' | 'sse', lastEventId?: string | null) {
  const received: Received[] = [];
  /** The appCode of each error the stream ended with. */
  const errors: (string | undefined)[] = [];
  const ws =
    transport === 'ws'
      ? createWSClient({ url: server.wsUrl, WebSocket: WebSocket as never, connectionParams: async () => ({ accessToken: session.accessToken }) })
      : undefined;
  const client = createTRPCClient<AppRouter>({
    links: [
      ws
        ? wsLink({ client: ws })
        : httpSubscriptionLink({
            url: `${server.url}/trpc`,
            EventSource: EventSource as never,
            connectionParams: async () => ({ accessToken: session.accessToken }),
          }),
    ],
  });
  let started!: () => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  const subscription = client.events.live.subscribe(
    { lastEventId: lastEventId ?? null },
    {
      onStarted: () => started(),
      onError: (error) => {
        errors.push((error as { data?: { appCode?: string } }).data?.appCode);
        failed(error);
      },
      onData: (data) => {
        const item = data as { id?: string; data?: ChatEvent } | ChatEvent;
        received.push('id' in item && item.id !== undefined ? { id: item.id, event: item.data as ChatEvent } : { id: null, event: item as ChatEvent });
      },
    },
  );
  return {
    received,
    errors,
    ws,
    ready,
    durable: () => received.filter((r) => r.id !== null),
    lastId: () => received.filter((r) => r.id !== null).at(-1)?.id ?? null,
    async until(predicate: (r: Received[]) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`timed out with ${received.length} events: ${JSON.stringify(received.map((r) => r.event.type))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close() {
      subscription.unsubscribe();
      void ws?.close();
    },
  };
}

export const bodies = (items: Received[]) =>
  items.flatMap((r) => (r.event.type === 'message.created' ? [r.event.message.body] : []));

