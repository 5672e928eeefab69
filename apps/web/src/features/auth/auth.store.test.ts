import type { Session } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import {
  forgetToken,
  getAccessToken,
  getAuthState,
  getToken,
  isNewPerson,
  showSignedIn,
  showSignedOut,
  storeToken,
  storeUser,
  subscribeAuth,
} from './auth.store.ts';

const session = (id: string, token: string): Session => ({
  user: { id, nickname: 'Ann', statusMessage: '', avatarUrl: null },
  accessToken: token,
  accessTokenExpiresAt: '2030-01-01T00:15:00.000Z',
});

describe('auth store', () => {
  it('tells a new person from a renewed token, and forgets the token on sign-out', () => {
    let changes = 0;
    const stop = subscribeAuth(() => changes++);
    expect(getAuthState()).toEqual({ status: 'restoring' });
    expect(isNewPerson('u1')).toBe(true);

    // The token is usable (links, socket) before the screens change.
    storeToken(session('u1', 't1'), 1000);
    expect(getAccessToken()).toBe('t1');
    expect(getToken()).toEqual({ value: 't1', expiresAt: Date.parse('2030-01-01T00:15:00.000Z'), receivedAt: 1000 });
    expect(changes).toBe(0);
    showSignedIn(session('u1', 't1').user);
    expect(changes).toBe(1);

    expect(isNewPerson('u1')).toBe(false);
    expect(isNewPerson('u2')).toBe(true);

    storeUser({ id: 'u1', nickname: 'Bo', statusMessage: 'hi', avatarUrl: '/files/avatars/u1/x.webp' });
    expect(getAuthState()).toMatchObject({ status: 'signed-in', user: { nickname: 'Bo' } });
    storeUser({ id: 'someone-else', nickname: 'Eve', statusMessage: '', avatarUrl: null });
    expect(getAuthState()).toMatchObject({ user: { nickname: 'Bo' } });

    expect(forgetToken()).toBe(true);
    expect(getAccessToken()).toBeNull();
    expect(forgetToken()).toBe(false);
    showSignedOut('logged-out');
    expect(getAuthState()).toEqual({ status: 'signed-out', reason: 'logged-out' });
    // Nobody is signed in: whoever comes next is a new person.
    expect(isNewPerson('u1')).toBe(true);
    stop();
    expect(changes).toBe(3);
  });
});
