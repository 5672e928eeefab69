import type { QueryClient } from '@tanstack/react-query';
import type { Session } from '@youngchat/shared';
import { toProblem } from '../../lib/problems.ts';
import type { Api } from '../../lib/trpc.ts';
import { jwtLifetimeMs, refreshDelayMs, singleFlight, type LockManagerLike } from './auth.refresh.ts';
import type { AuthStore, SignedOutReason } from './auth.store.ts';

const LOCK_NAME = 'youngchat-refresh';
/** After a failed renewal that was not a refusal (offline, server restarting): try again this much later. */
const RETRY_AFTER_FAILURE_MS = 15_000;

export type RefreshOutcome = 'renewed' | 'signed-out' | 'failed';

function locks(): LockManagerLike | null {
  return (navigator as Navigator & { locks?: LockManagerLike }).locks ?? null;
}

/**
 * Signing in and out, and keeping the access token fresh. One per app, made by the composition root
 * (app/services.ts) and given to the screens through AuthContext (auth.hooks.ts).
 */
export class AuthSession {
  readonly store: AuthStore;
  private readonly api: Pick<Api, 'client' | 'reconnectSocket'>;
  private readonly queryClient: QueryClient;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The start-up restore could not reach the server: try again when the network comes back. */
  private restoreFailed = false;
  /** Set while this tab ends its own session (logout, sign out everywhere, deletion). */
  private endingHere = false;
  // Tells the other tabs of this browser about sign-in and sign-out; never carries a token.
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('youngchat-auth');

  constructor(deps: { store: AuthStore; api: Pick<Api, 'client' | 'reconnectSocket'>; queryClient: QueryClient }) {
    this.store = deps.store;
    this.api = deps.api;
    this.queryClient = deps.queryClient;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private scheduleFromToken(): void {
    const token = this.store.getToken();
    if (!token) return;
    this.schedule(refreshDelayMs({ ...token, lifetimeMs: jwtLifetimeMs(token.value) }, Date.now()));
  }

  /** Forget what the previous person could see; system info is the same for everyone and stays. */
  private dropPersonalQueries(): void {
    this.queryClient.removeQueries({
      predicate: (query) => {
        const path = query.queryKey[0];
        return !(Array.isArray(path) && path[0] === 'system');
      },
    });
  }

  /**
   * `then` runs in the same tick as the state change (a navigation, typically), so the app renders once, already
   * on the next page, instead of bouncing off a redirect first.
   */
  private async adopt(session: Session, then?: () => void): Promise<void> {
    const newPerson = this.store.isNewPerson(session.user.id);
    this.store.storeToken(session);
    this.scheduleFromToken();
    if (newPerson) {
      this.dropPersonalQueries();
      await this.api.reconnectSocket();
    }
    then?.();
    this.store.showSignedIn(session.user);
  }

  private async end(reason: SignedOutReason, then?: () => void): Promise<void> {
    clearTimeout(this.timer);
    if (this.store.forgetToken()) {
      this.dropPersonalQueries();
      await this.api.reconnectSocket();
    }
    then?.();
    this.store.showSignedOut(reason);
  }

  private async renew(): Promise<RefreshOutcome> {
    try {
      await this.adopt(await this.api.client.auth.refresh.mutate());
      return 'renewed';
    } catch (error) {
      const { code, retryAfterMs } = toProblem(error);
      // SESSION_EXPIRED: no cookie, or it was revoked. FORBIDDEN/UNAUTHORIZED: the server will not renew it either.
      if (code === 'SESSION_EXPIRED' || code === 'UNAUTHORIZED' || code === 'FORBIDDEN') {
        await this.end(this.store.state.get().status === 'signed-in' ? 'expired' : null);
        return 'signed-out';
      }
      if (this.store.state.get().status === 'restoring') {
        this.restoreFailed = true;
        await this.end(null);
        // A busy server says when to come back, and the cookie may well be good: ask again then (offline waits for
        // the browser's 'online').
        if (code === 'SERVICE_UNAVAILABLE') this.schedule(Math.max(retryAfterMs ?? 0, 1_000));
      } else this.schedule(RETRY_AFTER_FAILURE_MS); // keep the session: the refresh cookie may well still be good
      return 'failed';
    }
  }

  /** Renews the access token from the HttpOnly cookie: once at a time in this tab, and one tab at a time. */
  readonly refresh = singleFlight(() => this.renew(), locks(), LOCK_NAME);

  /** After verifyEmail or login answered with a session; `then` runs as the signed-in state appears. */
  async signIn(session: Session, then?: () => void): Promise<void> {
    await this.adopt(session, then);
    this.channel?.postMessage('signed-in');
  }

  /**
   * Runs `call`, which ends this device's session on the server, then ends it here and in the other tabs of this
   * browser, which shared it. If `call` fails the person stays signed in, and the error is the caller's to tell.
   */
  async endSession(call: () => Promise<unknown>, reason: 'logged-out' | 'account-deleted', then?: () => void): Promise<void> {
    this.endingHere = true;
    try {
      await call();
      await this.end(reason, then);
    } finally {
      this.endingHere = false;
    }
    this.channel?.postMessage('signed-out');
  }

  /**
   * Ends the session on the server, then here; the API also closes this account's sockets on every instance.
   * When the server cannot be reached this throws and the person stays signed in: forgetting the token locally
   * would look like a logout while the refresh cookie still opens the account on the next visit.
   */
  signOut(then?: () => void): Promise<void> {
    return this.endSession(
      async () => {
        try {
          if (this.store.getToken()) await this.api.client.auth.logout.mutate();
        } catch (error) {
          const { code } = toProblem(error);
          // Already over on the server (expired, revoked): nothing left to end there.
          if (code !== 'UNAUTHORIZED' && code !== 'SESSION_EXPIRED') throw error;
        }
      },
      'logged-out',
      then,
    );
  }

  /**
   * The live stream was refused as signed out while this tab holds a token: the sign-in was ended from elsewhere
   * (another device signed this one out, a password change or reset), or the token ran out before its renewal.
   * Renewing tells which: it signs the person out here, or brings a token for the socket to reconnect with.
   */
  async renewRefusedSocket(): Promise<void> {
    // Our own sign-out closes the socket too: that refusal is expected.
    if (this.endingHere || !this.store.getToken()) return;
    if ((await this.refresh()) === 'renewed') await this.api.reconnectSocket();
  }

  /** Once, at app start: restore a session from the refresh cookie without asking anything. */
  start(): void {
    this.channel?.addEventListener('message', (event: MessageEvent) => {
      if (event.data === 'signed-out') void this.end('logged-out');
      // Another tab signed in: the shared cookie now holds a session this tab can pick up.
      if (event.data === 'signed-in' && this.store.state.get().status !== 'signed-in') void this.refresh();
    });

    // Timers are throttled in background tabs and stop while a laptop sleeps: check again when the person is back.
    document.addEventListener('visibilitychange', () => {
      const token = this.store.getToken();
      if (document.visibilityState !== 'visible' || !token) return;
      if (refreshDelayMs({ ...token, lifetimeMs: jwtLifetimeMs(token.value) }, Date.now()) === 0) void this.refresh();
    });
    window.addEventListener('online', () => {
      if (this.restoreFailed && this.store.state.get().status === 'signed-out') {
        this.restoreFailed = false;
        void this.refresh();
      }
    });

    void this.refresh();
  }
}
