// Whether a build output is missing or older than what it is built from: `npm start` and the browser tests build
// only then, so a fresh clone builds once and an edited source is never served from a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

/** @param {string} output a file the build writes last @param {string[]} inputs files and folders it reads */
export function isStale(output, inputs) {
  return !existsSync(output) || statSync(output).mtimeMs < Math.max(...inputs.map(newestMtime));
}

const root = path.resolve(import.meta.dirname, '..');
const WEB_SOURCES = ['apps/web/src', 'apps/web/public', 'apps/web/index.html', 'apps/web/vite.config.ts', 'packages/shared/src'];

/** Whether the SPA's build is missing or older than its sources (shared included: the SPA bundles it). */
export const webBuildIsStale = () =>
  isStale(path.join(root, 'apps/web/dist/index.html'), WEB_SOURCES.map((p) => path.join(root, p)));
