/** The compiled server's entry point. */
export const SERVER_ENTRY: string;
export function buildServer(): Promise<void>;
/** Whether dist/main.js is missing or older than any source it is made from. */
export function serverIsStale(): boolean;
/** Builds when serverIsStale(). */
export function ensureServerBuilt(): Promise<void>;
