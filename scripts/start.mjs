// `npm start`: builds the SPA and the server when their builds are missing or older than their sources, then runs
// the compiled server in this very process (so SIGTERM reaches its own drain), with no TypeScript or Vite at run time.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { serverIsStale, SERVER_ENTRY } from '../apps/api/scripts/build-server.mjs';
import { webBuildIsStale } from './stale.mjs';

const root = path.resolve(import.meta.dirname, '..');
const at = (...parts) => path.join(root, ...parts);

/** Builds in a child process, so nothing of the build stays in the server's memory. */
function run(command, args) {
  // Whatever NODE_ENV the shell has (development, test), the SPA is built as for production: React's own build.
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (status !== 0) process.exit(status ?? 1);
}

if (webBuildIsStale()) run('npm', ['run', 'build', '-w', '@youngchat/web']);
if (serverIsStale()) run(process.execPath, [at('apps/api/scripts/build-server.mjs')]);
// The server's startup time is counted from here, not from before the builds (main.ts reads this mark).
performance.mark('server-start');
await import(SERVER_ENTRY);
