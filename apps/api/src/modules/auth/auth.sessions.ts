import type { SessionInfo } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import type { ConnectionRegistry } from '../../realtime/connections.ts';
import type { SessionCache } from './auth.session-cache.ts';
import { approximatePlace } from './place.ts';
import type { RefreshTokens } from './refresh-tokens.ts';
import { insertSession, markSessionsEnded, openSessions, touchSession } from './sessions.repository.ts';

/** The device a sign-in came from, as the request showed it. */
export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

export interface SessionBookDeps {
  db: Db;
  refreshTokens: RefreshTokens;
  cache: SessionCache;
  connections: ConnectionRegistry;
  /** A sign-in's absolute lifetime (its refresh family's). */
  ttlMs: number;
}

/**
 * Each person's sign-ins (refresh families) as they see them in their list of devices, and the one way to end them:
 * the family is revoked, every instance forgets the access tokens it found live, and every connection of the sign-in
 * closes. The key-value store stays the authority on which families are live; the table is what can be listed.
 */
export function createSessionBook({ db, refreshTokens, cache, connections, ttlMs }: SessionBookDeps) {
  async function open(userId: string) {
    const rows = await openSessions(db, userId, new Date(Date.now() - ttlMs));
    const live = await Promise.all(rows.map((row) => refreshTokens.isFamilyActive(row.id)));
    return rows.filter((_, i) => live[i]);
  }

  async function end(userId: string, sessionIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(sessionIds)];
    for (const sessionId of ids) {
      await refreshTokens.revokeFamily(sessionId);
      await cache.revoked({ sessionId });
      await connections.endSessionEverywhere(userId, sessionId);
    }
    await markSessionsEnded(db, ids);
  }

  return {
    async start(userId: string, client: ClientInfo): Promise<{ token: string; familyId: string }> {
      const family = await refreshTokens.startFamily(userId);
      await insertSession(db, { id: family.familyId, userId, userAgent: (client.userAgent ?? '').slice(0, 300), place: approximatePlace(client.ip) });
      return family;
    },

    touch: (sessionId: string, client: ClientInfo) => touchSession(db, sessionId, approximatePlace(client.ip)),

    async list(userId: string, currentSessionId: string): Promise<SessionInfo[]> {
      return (await open(userId)).map((row) => ({
        id: row.id,
        current: row.id === currentSessionId,
        userAgent: row.user_agent,
        place: row.place,
        createdAt: row.created_at.toISOString(),
        lastActiveAt: row.last_active_at.toISOString(),
      }));
    },

    /** Whether `sessionId` is one of the person's live sign-ins. */
    async isOpen(userId: string, sessionId: string): Promise<boolean> {
      return (await open(userId)).some((row) => row.id === sessionId);
    },

    end,

    /**
     * Ends every listed sign-in of the person but `keep`, and `including` too (the current one, which may predate the
     * table), each once.
     */
    async endAllBut(userId: string, keep: string | null, including: string[] = []): Promise<void> {
      const listed = (await openSessions(db, userId, new Date(Date.now() - ttlMs))).map((row) => row.id).filter((id) => id !== keep);
      await end(userId, [...listed, ...including]);
    },
  };
}

export type SessionBook = ReturnType<typeof createSessionBook>;
