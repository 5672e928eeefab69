// Compiles the server to JavaScript: dist/main.js, and beside it the PGlite worker and the first start's initdb
// (pglite-worker-client.ts loads `./pglite.worker.js` and `./pglite-initdb.js` from its own module's folder). Our
// code and @youngchat/shared are bundled; every dependency stays in node_modules (native addons, PGlite's WASM).
// dist/ sits one level below apps/api as src/ does, so paths the code resolves from its own location (the SPA's
// dist, package.json) stay right.
// Run it (`npm run build:server`), or import ensureServerBuilt (npm start, the process tests, the load test).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isStale } from '../../../scripts/stale.mjs';

const root = path.resolve(import.meta.dirname, '..');
export const SERVER_ENTRY = path.join(root, 'dist/main.js');
const SOURCES = ['src', 'scripts', 'package.json', '../../packages/shared/src'].map((p) => path.join(root, p));

export async function buildServer() {
  // Loaded only to build: `npm start` checks staleness in the server's own process and builds in a child.
  const { build } = await import('esbuild');
  const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // Chunk names change with their content: the last build's would pile up (dist/types is the type build's).
  const dist = path.join(root, 'dist');
  const built = existsSync(dist) ? readdirSync(dist, { withFileTypes: true }) : [];
  for (const file of built.filter((f) => f.isFile() && /\.js(\.map)?$/.test(f.name))) rmSync(path.join(dist, file.name));
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src/main.ts',
      'pglite.worker': 'src/adapters/embedded/pglite.worker.ts',
      'pglite-initdb': 'src/adapters/embedded/pglite-initdb.ts',
    },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Chunks, so that a real service's adapter (and its library) loads only when configured (deps.ts).
    splitting: true,
    target: 'node20',
    conditions: ['source'],
    external: Object.keys(dependencies).filter((name) => name !== '@youngchat/shared'),
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** Whether dist/main.js is missing or older than any source it is made from. */
export const serverIsStale = () => isStale(SERVER_ENTRY, SOURCES);

export async function ensureServerBuilt() {
  if (serverIsStale()) await buildServer();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildServer();
