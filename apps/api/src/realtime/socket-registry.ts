import { SESSION_ENDED_CLOSE_CODE } from '@youngchat/shared';
import type { WebSocket } from 'ws';
import type { AccessClaims } from '../modules/auth/access-token.ts';
import type { EventBus } from '../ports/event-bus.ts';


const CLOSE_USER_SOCKETS = 'sockets.close-user';

/**
 * This instance's authenticated sockets by user. A socket closes when its access token expires (the client
 * reconnects with a fresh one) and when the user logs out on any instance (relayed by the event bus).
 */
export function createSocketRegistry(bus: EventBus) {
  const byUser = new Map<string, Set<WebSocket>>();

  function closeLocal(userId: string): void {
    for (const ws of byUser.get(userId) ?? []) ws.close(SESSION_ENDED_CLOSE_CODE, 'session ended');
  }

  const unsubscribe = bus.subscribe((message) => {
    if (message.type === CLOSE_USER_SOCKETS && typeof message.userId === 'string') closeLocal(message.userId);
  });

  return {
    register(ws: WebSocket, auth: AccessClaims): void {
      let sockets = byUser.get(auth.userId);
      if (!sockets) byUser.set(auth.userId, (sockets = new Set()));
      sockets.add(ws);
      const expiry = setTimeout(
        () => ws.close(SESSION_ENDED_CLOSE_CODE, 'token expired'),
        Math.max(auth.expiresAt.getTime() - Date.now(), 0),
      );
      ws.once('close', () => {
        clearTimeout(expiry);
        sockets.delete(ws);
        if (sockets.size === 0) byUser.delete(auth.userId);
      });
    },

    /** Closes the user's sockets on every instance. */
    async closeUserEverywhere(userId: string): Promise<void> {
      closeLocal(userId);
      await bus.publish({ type: CLOSE_USER_SOCKETS, userId });
    },

    countFor: (userId: string) => byUser.get(userId)?.size ?? 0,
    socketsOf: (userId: string): readonly WebSocket[] => [...(byUser.get(userId) ?? [])],
    close: unsubscribe,
  };
}

export type SocketRegistry = ReturnType<typeof createSocketRegistry>;
