import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SERVER_ENTRY } from '../scripts/build-server.mjs';

export { ensureServerBuilt } from '../scripts/build-server.mjs';

const API_DIR = path.resolve(import.meta.dirname, '..');

/**
 * Runs the compiled server as `npm start` does (plain node, no TypeScript loader; ensureServerBuilt first) and
 * resolves `listening` with its port.
 */
export function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: API_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') resolve(entry.port as number);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  listening.catch(() => {}); // a test that expects the process to fail awaits `exited` instead
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, listening, exited, stderr: () => stderr };
}
