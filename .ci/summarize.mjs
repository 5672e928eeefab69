// Sums vitest's JSON reports over every workspace and prints "N passed, N failed, N skipped".
// A workspace with a test script but no report counts as a failure: it ran nothing we can see.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const dirs = readJson(path.join(root, 'package.json')).workspaces.flatMap((pattern) => {
  if (!pattern.endsWith('/*')) return [pattern];
  const parent = pattern.slice(0, -2);
  return readdirSync(path.join(root, parent)).map((name) => path.join(parent, name));
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of dirs) {
  const pkgFile = path.join(root, dir, 'package.json');
  if (!existsSync(pkgFile) || !readJson(pkgFile).scripts?.test) continue;
  const reportFile = path.join(root, dir, 'test-results.json');
  if (!existsSync(reportFile)) {
    console.log(`${dir}: no test report`);
    failed += 1;
    continue;
  }
  const r = readJson(reportFile);
  // A file that fails to load (e.g. a missing service in CI) fails no test but must still count.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  const f = r.numFailedTests + brokenFiles;
  const s = r.numPendingTests + r.numTodoTests;
  console.log(`${dir}: ${r.numPassedTests} passed, ${f} failed, ${s} skipped`);
  passed += r.numPassedTests;
  failed += f;
  skipped += s;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
