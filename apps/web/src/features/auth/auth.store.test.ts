import type { Session } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { AuthStore } from './auth.store.ts';

const session = (id: string, token: string): Session => ({
  user: { id, nickname: 'Ann', statusMessage: '', avatarUrl: null },
  accessToken: token,
  accessTokenExpiresAt: '2030-01-01T00:15:00.000Z',
});

describe('AuthStore', () => {
  it('tells a new person from a renewed token, and forgets the token on sign-out', () => {
    const auth = new AuthStore();
    let changes = 0;
    const stop = auth.state.subscribe(() => changes++);
    expect(auth.state.get()).toEqual({ status: 'restoring' });
    expect(auth.isNewPerson('u1')).toBe(true);

    // The token is usable (links, socket) before the screens change.
    auth.storeToken(session('u1', 't1'), 1000);
    expect(auth.accessToken()).toBe('t1');
    expect(auth.getToken()).toEqual({ value: 't1', expiresAt: Date.parse('2030-01-01T00:15:00.000Z'), receivedAt: 1000 });
    expect(changes).toBe(0);
    auth.showSignedIn(session('u1', 't1').user);
    expect(changes).toBe(1);

    expect(auth.isNewPerson('u1')).toBe(false);
    expect(auth.isNewPerson('u2')).toBe(true);

    auth.storeUser({ id: 'u1', nickname: 'Bo', statusMessage: 'hi', avatarUrl: '/files/avatars/u1/x.webp' });
    expect(auth.state.get()).toMatchObject({ status: 'signed-in', user: { nickname: 'Bo' } });
    auth.storeUser({ id: 'someone-else', nickname: 'Eve', statusMessage: '', avatarUrl: null });
    expect(auth.state.get()).toMatchObject({ user: { nickname: 'Bo' } });

    expect(auth.forgetToken()).toBe(true);
    expect(auth.accessToken()).toBeNull();
    expect(auth.forgetToken()).toBe(false);
    auth.showSignedOut('logged-out');
    expect(auth.state.get()).toEqual({ status: 'signed-out', reason: 'logged-out' });
    // Nobody is signed in: whoever comes next is a new person.
    expect(auth.isNewPerson('u1')).toBe(true);
    stop();
    expect(changes).toBe(3);
  });

  it('keeps nothing between instances: a second app starts restoring, without a token', () => {
    const first = new AuthStore();
    first.storeToken(session('u1', 't1'));
    first.showSignedIn(session('u1', 't1').user);
    const second = new AuthStore();
    expect(second.state.get()).toEqual({ status: 'restoring' });
    expect(second.accessToken()).toBeNull();
  });
});
