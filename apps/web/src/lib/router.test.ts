import { describe, expect, it } from 'vitest';
import { matchRoute, safeNextPath } from './router.ts';

describe('matchRoute', () => {
  it('knows each page, with or without a trailing slash', () => {
    expect(matchRoute('/')).toBe('home');
    expect(matchRoute('/signup')).toBe('signup');
    expect(matchRoute('/verify/')).toBe('verify');
    expect(matchRoute('/login')).toBe('login');
    expect(matchRoute('/profile')).toBe('profile');
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
