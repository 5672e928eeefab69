/** What other modules may use of auth: these, and nothing else of this folder. */
export type { AccessClaims } from './access-token.ts';
