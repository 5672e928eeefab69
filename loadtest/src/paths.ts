import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

/** The API's compiled entry point, run as `npm start` runs it (api/deployment.ts builds it when stale). */
export { SERVER_ENTRY as API_MAIN, ensureServerBuilt } from '../../apps/api/scripts/build-server.mjs';
/** Where `npm start` runs: it builds when stale, then runs the compiled server (scripts/start.mjs). */
export const REPO_ROOT = path.join(here, '../..');
/** The baselines, each a standalone server process. */
export const SERVERS_DIR = path.join(here, 'servers');
/** Node arguments for a server whose memory is measured: SIGUSR2 then runs a full garbage collection. */
export const GC_ON_SIGNAL = ['--expose-gc', '--import', path.join(SERVERS_DIR, 'gc-on-signal.mjs')];
