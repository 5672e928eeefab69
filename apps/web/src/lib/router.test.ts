import { describe, expect, it } from 'vitest';
import { matchRoute, roomIdFromPath, roomPath, safeNextPath } from './router.ts';

describe('matchRoute', () => {
  it('knows each page, with or without a trailing slash', () => {
    expect(matchRoute('/')).toBe('home');
    expect(matchRoute('/signup')).toBe('signup');
    expect(matchRoute('/verify/')).toBe('verify');
    expect(matchRoute('/login')).toBe('login');
    expect(matchRoute('/reset-password')).toBe('reset-password');
    expect(matchRoute('/profile')).toBe('profile');
    expect(matchRoute('/account/')).toBe('account');
    expect(matchRoute('/settings')).toBe('settings');
    expect(matchRoute('/new-chat')).toBe('new-chat');
    expect(matchRoute('/new-group/')).toBe('new-group');
  });

  it('knows a chat view by its room id, and only a well-formed one', () => {
    const id = '0b7c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';
    expect(matchRoute(roomPath(id))).toBe('room');
    expect(roomIdFromPath(`${roomPath(id)}/`)).toBe(id);
    expect(roomIdFromPath(`/rooms/${id.toUpperCase()}`)).toBe(id);
    for (const bad of ['/rooms/', '/rooms/abc', `/rooms/${id}/x`, `/rooms/${id}x`, '/rooms/..%2Fprofile']) {
      expect(matchRoute(bad), bad).toBe('not-found');
      expect(roomIdFromPath(bad), bad).toBeNull();
    }
  });

  it('says not-found for anything else', () => {
    expect(matchRoute('/profile/extra')).toBe('not-found');
    expect(matchRoute('/LOGIN')).toBe('not-found');
    expect(matchRoute('/nope')).toBe('not-found');
  });
});

describe('safeNextPath', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeNextPath('/profile')).toBe('/profile');
    expect(safeNextPath('/profile?tab=picture#top')).toBe('/profile?tab=picture#top');
  });

  it('refuses anything that could leave the site', () => {
    for (const bad of ['//evil.example', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', 'profile', '']) {
      expect(safeNextPath(bad), bad).toBe('/');
    }
    expect(safeNextPath(null)).toBe('/');
  });
});
