/** What other modules may use of auth: these, and nothing else of this folder. */
export type { AccessClaims } from './access-token.ts';
export type { AuthService } from './auth.service.ts';
export { beforeEndingCookieSession, clearRefreshCookie } from './auth.cookies.ts';
