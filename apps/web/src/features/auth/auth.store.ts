import type { Session, User } from '@youngchat/shared';
import { Store } from '../../lib/store.ts';

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

export interface Token {
  value: string;
  expiresAt: number;
  receivedAt: number;
}

/** One per app (see auth.session.ts); the screens read `state`. */
export class AuthStore {
  readonly state = new Store<AuthState>({ status: 'restoring' });
  private token: Token | null = null;

  accessToken(): string | null {
    return this.token?.value ?? null;
  }

  getToken(): Readonly<Token> | null {
    return this.token;
  }

  /** Would this session change who is signed in (sign-in, or another account), rather than renew the same one? */
  isNewPerson(userId: string): boolean {
    const state = this.state.get();
    return state.status !== 'signed-in' || state.user.id !== userId;
  }

  /**
   * The token and the visible state are set separately: the token first, so the socket can reconnect with it,
   * and the state once that is done, so screens that open subscriptions for the new person start after it.
   */
  storeToken(session: Session, now = Date.now()): void {
    this.token = { value: session.accessToken, expiresAt: Date.parse(session.accessTokenExpiresAt), receivedAt: now };
  }

  /** Returns true when there was a token to forget. */
  forgetToken(): boolean {
    const had = this.token !== null;
    this.token = null;
    return had;
  }

  showSignedIn(user: User): void {
    this.state.set({ status: 'signed-in', user });
  }

  showSignedOut(reason: SignedOutReason): void {
    this.state.set({ status: 'signed-out', reason });
  }

  /** After a profile change: same person, new name or picture. */
  storeUser(user: User): void {
    const state = this.state.get();
    if (state.status !== 'signed-in' || state.user.id !== user.id) return;
    this.state.set({ status: 'signed-in', user });
  }
}
