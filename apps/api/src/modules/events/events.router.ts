import { tracked } from '@trpc/server';
import { eventsLiveInput, eventsPollInput, type ChatEvent } from '@youngchat/shared';
import type { AccessClaims } from '../auth/auth.api.ts';
import type { ConnectionRegistry } from '../../realtime/connections.ts';
import { claimLiveSocket } from '../../realtime/live-socket.ts';
import { AppError } from '../../app-error.ts';
import { authedProcedure, router } from '../../trpc/init.ts';

/**
 * An SSE stream or a long-poll, held like a socket: it ends with its sign-in, at its token's expiry, or when newer
 * connections of the same person push it out. `signal` aborts when either the client or the registry ends it.
 */
function holdConnection(connections: ConnectionRegistry, auth: AccessClaims, clientSignal: AbortSignal | undefined) {
  const held = connections.hold(auth);
  return {
    signal: clientSignal ? AbortSignal.any([clientSignal, held.signal]) : held.signal,
    release: held.release,
    /** Throws when the registry ended it, so the client hears why rather than a quiet end. */
    throwIfEnded(): void {
      if (!held.signal.aborted) return;
      throw held.signal.reason === 'replaced'
        ? new AppError('TOO_MANY_CONNECTIONS', 'You are connected from too many places; this one gave way.')
        : new AppError('UNAUTHORIZED', 'Please sign in again.');
    },
  };
}

export const eventsRouter = router({
  /** WebSocket (wsLink) and SSE (httpSubscriptionLink); durable events carry their position as the tracked id. */
  live: authedProcedure.input(eventsLiveInput).subscription(async function* ({ ctx, input, signal }) {
    const { connections, services } = ctx.deps;
    if (ctx.socket) {
      // The socket itself is held by the registry (see context.ts); here only its number of subscriptions is.
      const release = connections.subscribe(ctx.socket);
      if (!release) throw new AppError('TOO_MANY_CONNECTIONS', 'This connection has all the subscriptions it may have.');
      try {
        // Events are written to the socket directly (see live-socket.ts) when the call came in a message we read.
        const socket = claimLiveSocket(ctx.socket, input.lastEventId ?? null);
        if (socket && signal) {
          await services.events.follow(ctx.auth.userId, input.lastEventId, signal, socket);
          return;
        }
        for await (const item of services.events.live(ctx.auth.userId, input.lastEventId, signal)) {
          yield item.id === null ? (item.event as ChatEvent) : tracked(item.id, item.event as ChatEvent);
        }
      } finally {
        release();
      }
      return;
    }
    const held = holdConnection(connections, ctx.auth, signal);
    try {
      for await (const item of services.events.live(ctx.auth.userId, input.lastEventId, held.signal)) {
        // A durable event is a RawEvent: its JSON is the ChatEvent, written once for every subscriber.
        yield item.id === null ? (item.event as ChatEvent) : tracked(item.id, item.event as ChatEvent);
      }
      held.throwIfEnded();
    } finally {
      held.release();
    }
  }),

  poll: authedProcedure.input(eventsPollInput).query(async ({ ctx, input, signal }) => {
    const held = holdConnection(ctx.deps.connections, ctx.auth, signal);
    try {
      const answer = await ctx.deps.services.events.poll(ctx.auth.userId, input, held.signal);
      held.throwIfEnded();
      return answer;
    } finally {
      held.release();
    }
  }),
});
