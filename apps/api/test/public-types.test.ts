import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/**
 * The public contract: another TypeScript app, with its own ordinary settings (NodeNext, no knowledge of our
 * tsconfig), writes `import type { AppRouter } from '@youngchat/api'` and gets real types.
 */
describe('the published AppRouter type', () => {
  let dir: string;
  beforeAll(async () => {
    // The declarations the package exports, built fresh from the current source.
    await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: path.join(ROOT, 'packages/shared') });
    await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: path.join(ROOT, 'apps/api') });
    dir = await mkdtemp(path.join(os.tmpdir(), 'yc-consumer-'));
    await mkdir(path.join(dir, 'node_modules/@youngchat'), { recursive: true });
    await mkdir(path.join(dir, 'node_modules/@trpc'), { recursive: true });
    await symlink(path.join(ROOT, 'apps/api'), path.join(dir, 'node_modules/@youngchat/api'));
    await symlink(path.join(ROOT, 'packages/shared'), path.join(dir, 'node_modules/@youngchat/shared'));
    for (const pkg of ['client', 'server']) {
      await symlink(path.join(ROOT, 'node_modules/@trpc', pkg), path.join(dir, 'node_modules/@trpc', pkg));
    }
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: true, types: [] },
        files: ['good.ts'],
      }),
    );
  }, 120_000);
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  async function typecheck(source: string): Promise<string> {
    await writeFile(path.join(dir, 'good.ts'), source);
    try {
      await run(process.execPath, [TSC, '-p', dir]);
      return '';
    } catch (error) {
      return (error as { stdout: string }).stdout;
    }
  }

  const header = `
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
const api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: 'http://localhost:3000/trpc' })] });
const info = await api.system.info.query();
`;

  it('compiles a correct client', async () => {
    expect(await typecheck(`${header}const id: string = info.instanceId; console.log(id);\n`)).toBe('');
  }, 60_000);

  it('catches a wrong use, so the types are real and not any', async () => {
    expect(await typecheck(`${header}const id: number = info.instanceId; console.log(id);\n`)).toMatch(/TS2322/);
  }, 60_000);
});
