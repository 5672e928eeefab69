import { CONNECTION_REPLACED_CLOSE_CODE, SESSION_ENDED_CLOSE_CODE } from '@youngchat/shared';
import type { WebSocket } from 'ws';
import type { EventBus } from '../ports/event-bus.ts';

const END_SESSION = 'connections.end-session';

/** Why a connection was ended from here: its sign-in ended, its token expired, or a newer one took its place. */
export type EndReason = 'session-ended' | 'token-expired' | 'replaced';

export interface ConnectionLimits {
  /** WebSockets, SSE streams and long-polls of one user on this instance; past it, the oldest gives way. */
  perUser: number;
  /** Subscriptions on one WebSocket; past it, a new one is refused. */
  subscriptionsPerSocket: number;
}

/** Whose a connection is: the claims of the access token it came with (realtime/ knows nothing of how they are checked). */
export interface ConnectionOwner {
  userId: string;
  /** The sign-in (refresh family) the token belongs to. */
  sessionId: string;
  expiresAt: Date;
}

interface Connection {
  sessionId: string;
  socket: WebSocket | undefined;
  end(reason: EndReason): void;
}

/**
 * Every signed-in connection on this instance — WebSockets, SSE streams and long-polls in flight — by user and
 * sign-in. Each ends when its access token expires (the client comes back with a fresh one), when its sign-in ends
 * on any instance (relayed by the event bus), or when the user opens more than `perUser`: the newest is the device in
 * the person's hand, the oldest most likely a forgotten tab, so the oldest gives way.
 */
export function createConnectionRegistry(bus: EventBus, limits: ConnectionLimits) {
  /** Insertion order is age. */
  const byUser = new Map<string, Set<Connection>>();
  const subscriptions = new WeakMap<WebSocket, number>();

  const unsubscribe = bus.subscribe((message) => {
    if (message.type === END_SESSION && typeof message.userId === 'string' && typeof message.sessionId === 'string') {
      endLocal(message.userId, message.sessionId);
    }
  });

  function endLocal(userId: string, sessionId: string): void {
    for (const connection of byUser.get(userId) ?? []) if (connection.sessionId === sessionId) connection.end('session-ended');
  }

  /** Adds a connection that `end` stops; returns what to call when it is gone, whichever way it went. */
  function add(auth: ConnectionOwner, socket: WebSocket | undefined, end: (reason: EndReason) => void): () => void {
    let connections = byUser.get(auth.userId);
    if (!connections) byUser.set(auth.userId, (connections = new Set()));
    const mine = connections;
    for (const oldest of mine) {
      if (mine.size < limits.perUser) break;
      mine.delete(oldest);
      oldest.end('replaced');
    }
    let ended = false;
    const connection: Connection = {
      sessionId: auth.sessionId,
      socket,
      end(reason) {
        if (ended) return;
        ended = true;
        end(reason);
      },
    };
    mine.add(connection);
    const expiry = setTimeout(() => connection.end('token-expired'), Math.max(auth.expiresAt.getTime() - Date.now(), 0));
    return () => {
      ended = true;
      clearTimeout(expiry);
      mine.delete(connection);
      if (mine.size === 0 && byUser.get(auth.userId) === mine) byUser.delete(auth.userId);
    };
  }

  return {
    /** A WebSocket signed in with `auth`. */
    register(ws: WebSocket, auth: ConnectionOwner): void {
      const release = add(auth, ws, (reason) =>
        reason === 'replaced'
          ? ws.close(CONNECTION_REPLACED_CLOSE_CODE, 'opened elsewhere')
          : ws.close(SESSION_ENDED_CLOSE_CODE, reason === 'token-expired' ? 'token expired' : 'session ended'),
      );
      ws.once('close', release);
    },

    /**
     * An SSE stream or a long-poll of `auth`: the returned signal aborts, with the EndReason as its reason, when the
     * connection must end. Call `release` when it is over.
     */
    hold(auth: ConnectionOwner): { signal: AbortSignal; release: () => void } {
      const controller = new AbortController();
      const release = add(auth, undefined, (reason) => controller.abort(reason));
      return { signal: controller.signal, release };
    },

    /**
     * Takes a subscription slot on a socket; undefined when the socket has all it may have. Call the returned
     * function when the subscription ends.
     */
    subscribe(ws: WebSocket): (() => void) | undefined {
      const count = subscriptions.get(ws) ?? 0;
      if (count >= limits.subscriptionsPerSocket) return undefined;
      subscriptions.set(ws, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        subscriptions.set(ws, (subscriptions.get(ws) ?? 1) - 1);
      };
    },

    /** Ends every connection of one sign-in, on every instance. */
    async endSessionEverywhere(userId: string, sessionId: string): Promise<void> {
      endLocal(userId, sessionId);
      await bus.publish({ type: END_SESSION, userId, sessionId });
    },

    countFor: (userId: string) => byUser.get(userId)?.size ?? 0,
    socketsOf: (userId: string): WebSocket[] => [...(byUser.get(userId) ?? [])].flatMap((c) => (c.socket ? [c.socket] : [])),
    close: unsubscribe,
  };
}

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>;
