import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const webRoot = path.resolve(import.meta.dirname, '..');
const repoRoot = path.resolve(webRoot, '../..');
const distIndex = path.join(webRoot, 'dist', 'index.html');

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

/** Build when dist/ is missing or older than the sources, so the journey never passes against a stale bundle. */
async function ensureBuilt(): Promise<void> {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newestMtime(path.join(webRoot, p)));
  if (existsSync(distIndex) && statSync(distIndex).mtimeMs >= Math.max(...sources)) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: webRoot, configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

interface ApiProcess {
  child: ChildProcess;
  port: Promise<number>;
  exited: Promise<number | null>;
  output: () => string;
}

function startApi(dataDir: string): ApiProcess {
  // `node --import tsx` rather than `npx tsx`: one process, so SIGTERM reaches the server's own drain handler.
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: unknown };
        if (entry.msg === 'listening' && typeof entry.port === 'number') resolve(entry.port);
      } catch {
        // not a log line
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    void exited.then((code) => reject(new Error(`API exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  return { child, port, exited, output: () => lines.join('\n') };
}

describe('home page in a real browser', () => {
  let dataDir: string;
  let api: ApiProcess | undefined;
  let browser: Browser | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(path.join(tmpdir(), 'youngchat-web-e2e-'));
    api = startApi(dataDir);
    const port = await api.port;
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (api && api.child.exitCode === null && api.child.signalCode === null) {
      api.child.kill('SIGTERM');
      const timedOut = await Promise.race([
        api.exited.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), 15_000)),
      ]);
      if (timedOut) api.child.kill('SIGKILL');
      await api.exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the server, goes up to date and counts live ticks, with no errors or CSP violations', async () => {
    const context = await browser!.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    // Init scripts run outside the page's CSP, so this listener sees every violation the policy reports.
    await page.exposeFunction('__reportCsp', (text: string) => problems.push(`csp: ${text}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp;
        report(`${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });

    const info = (await (await fetch(`${baseUrl}/trpc/system.info`)).json()) as {
      result: { data: { instanceId: string } };
    };

    const response = await page.goto(`${baseUrl}/`);
    expect(response?.status()).toBe(200);
    // The "no CSP violations" check only means something if the page really runs under the strict policy.
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByRole('heading', { level: 1, name: 'YOUng Chat' }).waitFor();
    await page.getByRole('status', { name: 'Connection:' }).filter({ hasText: 'Up to date' }).waitFor();
    await page.getByText(info.result.data.instanceId, { exact: true }).waitFor();

    const ticks = page.getByRole('status', { name: 'Live ticks' });
    await page.waitForFunction(
      () => Number(document.querySelector('output[aria-label="Live ticks"]')?.textContent ?? 0) >= 2,
      undefined,
      { timeout: 20_000 },
    );
    expect(Number(await ticks.textContent())).toBeGreaterThanOrEqual(2);

    // Works at 360 px: nothing forces sideways scrolling.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(360);

    expect(problems, api?.output()).toEqual([]);
    await context.close();
  });
});
