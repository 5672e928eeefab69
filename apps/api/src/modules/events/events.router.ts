import { tracked } from '@trpc/server';
import { eventsLiveInput, eventsPollInput, type ChatEvent } from '@youngchat/shared';
import { claimLiveSocket } from '../../realtime/live-socket.ts';
import { authedProcedure, router } from '../../trpc/init.ts';

export const eventsRouter = router({
  /** WebSocket (wsLink) and SSE (httpSubscriptionLink); durable events carry their position as the tracked id. */
  live: authedProcedure.input(eventsLiveInput).subscription(async function* ({ ctx, input, signal }) {
    // Over a WebSocket the events are written to it directly (see live-socket.ts); over SSE they are yielded.
    const socket = ctx.socket && claimLiveSocket(ctx.socket, input.lastEventId ?? null);
    for await (const item of ctx.deps.services.events.live(ctx.auth.userId, input.lastEventId, signal, socket)) {
      // A durable event is a RawEvent: its JSON is the ChatEvent, written once for every subscriber.
      yield item.id === null ? (item.event as ChatEvent) : tracked(item.id, item.event as ChatEvent);
    }
  }),

  poll: authedProcedure
    .input(eventsPollInput)
    .query(({ ctx, input, signal }) => ctx.deps.services.events.poll(ctx.auth.userId, input, signal)),
});
