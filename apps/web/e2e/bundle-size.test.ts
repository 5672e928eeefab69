import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

const dist = path.resolve(import.meta.dirname, '..', 'dist');
/** Issue 10: what a first visit downloads before anything shows, on a slow phone connection. */
const INITIAL_JS_BUDGET = 200 * 1024;

it('loads at most 200 KB of JavaScript (gzipped) before the first screen; other pages load when opened', () => {
  // The global setup has built dist/ from the current sources.
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const gzipped = initial.map((file) => gzipSync(readFileSync(path.join(dist, file))).length);
  const total = gzipped.reduce((sum, n) => sum + n, 0);
  expect(initial.length).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
  // Split by route: the account and settings pages are not in the first download.
  expect(initial.some((file) => /account\.page|settings\.page/.test(file))).toBe(false);
});
