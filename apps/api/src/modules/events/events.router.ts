import { tracked } from '@trpc/server';
import { eventsLiveInput, eventsPollInput, type ChatEvent } from '@youngchat/shared';
import { authedProcedure, router } from '../../trpc/init.ts';

export const eventsRouter = router({
  /** WebSocket (wsLink) and SSE (httpSubscriptionLink); durable events carry their position as the tracked id. */
  live: authedProcedure.input(eventsLiveInput).subscription(async function* ({ ctx, input, signal }) {
    for await (const item of ctx.deps.services.events.live(ctx.auth.userId, input.lastEventId, signal)) {
      yield item.id === null ? item.event : tracked<ChatEvent>(item.id, item.event);
    }
  }),

  poll: authedProcedure
    .input(eventsPollInput)
    .query(({ ctx, input, signal }) => ctx.deps.services.events.poll(ctx.auth.userId, input, signal)),
});
