import type { Session } from '@youngchat/shared';
import { queryClient } from '../../lib/query-client.ts';
import { toProblem } from '../../lib/problems.ts';
import { reconnectSocket, setUnauthorizedHandler, trpcClient } from '../../lib/trpc.ts';
import { jwtLifetimeMs, refreshDelayMs, singleFlight, type LockManagerLike } from './auth.refresh.ts';
import {
  forgetToken,
  getAuthState,
  getToken,
  isNewPerson,
  showSignedIn,
  showSignedOut,
  storeToken,
  type SignedOutReason,
} from './auth.store.ts';

const LOCK_NAME = 'youngchat-refresh';
/** After a failed renewal that was not a refusal (offline, server restarting): try again this much later. */
const RETRY_AFTER_FAILURE_MS = 15_000;

type Outcome = 'renewed' | 'signed-out' | 'failed';

let timer: ReturnType<typeof setTimeout> | undefined;
/** The start-up restore could not reach the server: try again when the network comes back. */
let restoreFailed = false;
// Tells the other tabs of this browser about sign-in and sign-out; never carries a token.
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('youngchat-auth');

function locks(): LockManagerLike | null {
  return (navigator as Navigator & { locks?: LockManagerLike }).locks ?? null;
}

function schedule(delayMs: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refreshSession(), delayMs);
}

function scheduleFromToken(): void {
  const token = getToken();
  if (!token) return;
  schedule(refreshDelayMs({ ...token, lifetimeMs: jwtLifetimeMs(token.value) }, Date.now()));
}

/** Forget what the previous person could see; system info is the same for everyone and stays. */
function dropPersonalQueries(): void {
  queryClient.removeQueries({
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
async function adopt(session: Session, then?: () => void): Promise<void> {
  const newPerson = isNewPerson(session.user.id);
  storeToken(session);
  scheduleFromToken();
  if (newPerson) {
    dropPersonalQueries();
    await reconnectSocket();
  }
  then?.();
  showSignedIn(session.user);
}

async function end(reason: SignedOutReason, then?: () => void): Promise<void> {
  clearTimeout(timer);
  if (forgetToken()) {
    dropPersonalQueries();
    await reconnectSocket();
  }
  then?.();
  showSignedOut(reason);
}

async function renew(): Promise<Outcome> {
  try {
    await adopt(await trpcClient.auth.refresh.mutate());
    return 'renewed';
  } catch (error) {
    const { code, retryAfterMs } = toProblem(error);
    // SESSION_EXPIRED: no cookie, or it was revoked. FORBIDDEN/UNAUTHORIZED: the server will not renew it either.
    if (code === 'SESSION_EXPIRED' || code === 'UNAUTHORIZED' || code === 'FORBIDDEN') {
      await end(getAuthState().status === 'signed-in' ? 'expired' : null);
      return 'signed-out';
    }
    if (getAuthState().status === 'restoring') {
      restoreFailed = true;
      await end(null);
      // A busy server says when to come back, and the cookie may well be good: ask again then (offline waits for
      // the browser's 'online').
      if (code === 'SERVICE_UNAVAILABLE') schedule(Math.max(retryAfterMs ?? 0, 1_000));
    } else schedule(RETRY_AFTER_FAILURE_MS); // keep the session: the refresh cookie may well still be good
    return 'failed';
  }
}

/** Renews the access token from the HttpOnly cookie: once at a time in this tab, and one tab at a time. */
export const refreshSession = singleFlight(renew, locks(), LOCK_NAME);

/** After verifyEmail or login answered with a session; `then` runs as the signed-in state appears. */
export async function signIn(session: Session, then?: () => void): Promise<void> {
  await adopt(session, then);
  channel?.postMessage('signed-in');
}

/** Set while this tab ends its own session (logout, sign out everywhere, deletion). */
let endingHere = false;

/**
 * Runs `call`, which ends this device's session on the server, then ends it here and in the other tabs of this
 * browser, which shared it. If `call` fails the person stays signed in, and the error is the caller's to tell.
 */
export async function endSession(call: () => Promise<unknown>, reason: 'logged-out' | 'account-deleted', then?: () => void): Promise<void> {
  endingHere = true;
  try {
    await call();
    await end(reason, then);
  } finally {
    endingHere = false;
  }
  channel?.postMessage('signed-out');
}

/**
 * Ends the session on the server, then here; the API also closes this account's sockets on every instance.
 * When the server cannot be reached this throws and the person stays signed in: forgetting the token locally
 * would look like a logout while the refresh cookie still opens the account on the next visit.
 */
export function signOut(then?: () => void): Promise<void> {
  return endSession(
    async () => {
      try {
        if (getToken()) await trpcClient.auth.logout.mutate();
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
export async function renewRefusedSocket(): Promise<void> {
  // Our own sign-out closes the socket too: that refusal is expected.
  if (endingHere || !getToken()) return;
  if ((await refreshSession()) === 'renewed') await reconnectSocket();
}

let started = false;

/** Once, at app start: restore a session from the refresh cookie without asking anything. */
export function startSession(): void {
  if (started) return;
  started = true;
  setUnauthorizedHandler(async () => (await refreshSession()) === 'renewed');

  channel?.addEventListener('message', (event: MessageEvent) => {
    if (event.data === 'signed-out') void end('logged-out');
    // Another tab signed in: the shared cookie now holds a session this tab can pick up.
    if (event.data === 'signed-in' && getAuthState().status !== 'signed-in') void refreshSession();
  });

  // Timers are throttled in background tabs and stop while a laptop sleeps: check again when the person is back.
  document.addEventListener('visibilitychange', () => {
    const token = getToken();
    if (document.visibilityState !== 'visible' || !token) return;
    if (refreshDelayMs({ ...token, lifetimeMs: jwtLifetimeMs(token.value) }, Date.now()) === 0) void refreshSession();
  });
  window.addEventListener('online', () => {
    if (restoreFailed && getAuthState().status === 'signed-out') {
      restoreFailed = false;
      void refreshSession();
    }
  });

  void refreshSession();
}
