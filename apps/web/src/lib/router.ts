import { useSyncExternalStore } from 'react';

/**
 * A router small enough to read in one go: a handful of pages do not need a library. URLs stay meaningful and the
 * browser's Back button works because every move goes through the History API. The one nested layout (chat list
 * beside the open room) is a component (features/chat/chat-shell.tsx) given the room id, not a route tree.
 */
export type RouteName =
  | 'home'
  | 'signup'
  | 'verify'
  | 'login'
  | 'reset-password'
  | 'profile'
  | 'account'
  | 'settings'
  | 'new-chat'
  | 'new-group'
  | 'room'
  | 'not-found';

export const PATHS = {
  home: '/',
  signup: '/signup',
  verify: '/verify',
  login: '/login',
  'reset-password': '/reset-password',
  profile: '/profile',
  account: '/account',
  settings: '/settings',
  'new-chat': '/new-chat',
  'new-group': '/new-group',
} as const satisfies Record<Exclude<RouteName, 'not-found' | 'room'>, string>;

const ROOM_PATH = /^\/rooms\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function clean(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
}

/** Which page a path shows; a trailing slash is forgiven because people type URLs by hand. */
export function matchRoute(pathname: string): RouteName {
  const path = clean(pathname);
  for (const [name, known] of Object.entries(PATHS) as [RouteName, string][]) {
    if (path === known) return name;
  }
  if (ROOM_PATH.test(path)) return 'room';
  return 'not-found';
}

/** The chat view of one room. */
export function roomPath(roomId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}`;
}

/** The room id of a chat view path (lower case, as the API writes ids), or null. */
export function roomIdFromPath(pathname: string): string | null {
  return ROOM_PATH.exec(clean(pathname))?.[1]?.toLowerCase() ?? null;
}

/**
 * Where to go after signing in. Only a path on this site: `//evil.example` and `https://…` would make the login
 * page an open redirect, and a backslash is read as a slash by browsers.
 */
export function safeNextPath(next: string | null | undefined, fallback: string = PATHS.home): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  try {
    const url = new URL(next, 'http://same.invalid');
    if (url.origin !== 'http://same.invalid') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

// Left at module level on purpose: they follow window.history, of which a page has exactly one, and hold nobody's
// data (an object per app would share that history all the same, and sign-ins have nothing here to leak).
const listeners = new Set<() => void>();
let headingFocusPending = false;

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    headingFocusPending = true;
    notify();
  });
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = window.location.pathname + window.location.search;
  if (to === current) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  // A redirect (replace) is not the person moving: their focus stays where the redirect found it.
  headingFocusPending = headingFocusPending || !options.replace;
  if (!options.replace) window.scrollTo(0, 0);
  notify();
}

/**
 * The next page heading takes focus even without a navigation: signing out swaps the page under the person's
 * focus (the button they pressed is gone), and the new page must say where they are.
 */
export function focusHeadingNext(): void {
  headingFocusPending = true;
}

/**
 * True once after a navigation: the next page heading takes focus so a screen reader announces the new page,
 * and keyboard users start from the top. The first load is left alone (the browser handles that).
 */
export function takeHeadingFocus(): boolean {
  const pending = headingFocusPending;
  headingFocusPending = false;
  return pending;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Pathname plus query string, so a page reading `?next=` re-renders when it changes. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(href, 'http://same.invalid');
  return { pathname: url.pathname, search: url.search };
}
