import type { EventBus } from '../../ports/event-bus.ts';
import type { AccessClaims } from './access-token.ts';

const REVOKED = 'auth.revoked';

export interface SessionCacheOptions {
  /** How long a token found live is trusted without asking the key-value store again. */
  ttlMs: number;
  /** Past this many tokens remembered, the cache starts over (a bound on memory, not a policy). */
  maxEntries: number;
}

/**
 * Remembers for a few seconds which access tokens were found live (signature checked, not blacklisted, sign-in not
 * ended), so a signed-in call costs neither a signature check nor a round trip to the key-value store. A revocation
 * on any instance is relayed by the bus and forgotten at once everywhere; a broker gap forgets everything; the short
 * TTL bounds what a lost relay could leave behind. A check that ran while anything was revoked is not remembered.
 */
export function createSessionCache(bus: EventBus, options: SessionCacheOptions) {
  const live = new Map<string, { claims: AccessClaims; until: number }>();
  /** Bumped by every revocation, so a check that overlapped one is not remembered. */
  let epoch = 0;

  function forget(revoked: { userId?: string; sessionId?: string }): void {
    epoch += 1;
    for (const [token, { claims }] of live) {
      if (claims.userId === revoked.userId || claims.sessionId === revoked.sessionId) live.delete(token);
    }
  }

  bus.subscribe((message) => {
    if (message.type === REVOKED) forget(message as { userId?: string; sessionId?: string });
  });
  bus.onGap(() => {
    epoch += 1;
    live.clear();
  });

  return {
    /** The claims of a token found live moments ago, if it still is. */
    lookup(token: string): AccessClaims | undefined {
      const entry = live.get(token);
      if (!entry) return undefined;
      const now = Date.now();
      if (entry.until > now && entry.claims.expiresAt.getTime() > now) return entry.claims;
      live.delete(token);
      return undefined;
    },

    /** Where a check starts: pass it to `remember` when the check has found the token live. */
    epoch: () => epoch,

    remember(token: string, claims: AccessClaims, checkedFrom: number): void {
      if (checkedFrom !== epoch) return;
      if (live.size >= options.maxEntries) live.clear();
      live.set(token, { claims, until: Date.now() + options.ttlMs });
    },

    /** Call after the revocation is stored: every instance forgets what it knew of these sign-ins. */
    async revoked(revocation: { userId: string } | { sessionId: string }): Promise<void> {
      forget(revocation);
      await bus.publish({ type: REVOKED, ...revocation });
    },
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;
