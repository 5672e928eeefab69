import type { Session, User } from '@youngchat/shared';

/**
 * Who is signed in, kept in memory only. The access token never touches localStorage or sessionStorage, where any
 * injected script could read it; after a reload the HttpOnly refresh cookie restores the session.
 */
export type AuthState =
  | { status: 'restoring' }
  | { status: 'signed-out'; reason: SignedOutReason }
  | { status: 'signed-in'; user: User };

/** Why nobody is signed in, when the person should hear it (null: they never were, this visit). */
export type SignedOutReason = 'logged-out' | 'expired' | 'account-deleted' | null;

interface Token {
  value: string;
  expiresAt: number;
  receivedAt: number;
}

let state: AuthState = { status: 'restoring' };
let token: Token | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function getAuthState(): AuthState {
  return state;
}

export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getAccessToken(): string | null {
  return token?.value ?? null;
}

export function getToken(): Readonly<Token> | null {
  return token;
}

/** Would this session change who is signed in (sign-in, or another account), rather than renew the same one? */
export function isNewPerson(userId: string): boolean {
  return state.status !== 'signed-in' || state.user.id !== userId;
}

/**
 * The token and the visible state are set separately: the token first, so the socket can reconnect with it,
 * and the state once that is done, so screens that open subscriptions for the new person start after it.
 */
export function storeToken(session: Session, now = Date.now()): void {
  token = { value: session.accessToken, expiresAt: Date.parse(session.accessTokenExpiresAt), receivedAt: now };
}

/** Returns true when there was a token to forget. */
export function forgetToken(): boolean {
  const had = token !== null;
  token = null;
  return had;
}

export function showSignedIn(user: User): void {
  state = { status: 'signed-in', user };
  emit();
}

export function showSignedOut(reason: SignedOutReason): void {
  state = { status: 'signed-out', reason };
  emit();
}

/** After a profile change: same person, new name or picture. */
export function storeUser(user: User): void {
  if (state.status !== 'signed-in' || state.user.id !== user.id) return;
  state = { status: 'signed-in', user };
  emit();
}
