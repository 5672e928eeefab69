/**
 * What every browser journey needs: a fresh SPA build, the real API process on a free port with its own data
 * directory (embedded adapters), and a real Chromium. Shared by smoke.test.ts and accounts.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import { en } from '../src/lib/locales/en.ts';
import { webBuildIsStale } from '../../../scripts/stale.mjs';

const webRoot = path.resolve(import.meta.dirname, '..');
const repoRoot = path.resolve(webRoot, '../..');

/**
 * Build when dist/ is missing or older than the sources, so a journey never passes against a stale bundle.
 * Called once from the global setup: two test files building into the same dist/ at once would race.
 */
export async function ensureBuilt(): Promise<void> {
  if (!webBuildIsStale()) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: webRoot, configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

export interface ApiProcess {
  child: ChildProcess;
  port: Promise<number>;
  exited: Promise<number | null>;
  output: () => string;
}

export function startApi(dataDir: string, env: Record<string, string> = {}): ApiProcess {
  // `node --import tsx` rather than `npx tsx`: one process, so SIGTERM reaches the server's own drain handler.
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
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

async function stopApi(api: ApiProcess): Promise<void> {
  if (api.child.exitCode !== null || api.child.signalCode !== null) return;
  api.child.kill('SIGTERM');
  const timedOut = await Promise.race([
    api.exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), 15_000)),
  ]);
  if (timedOut) api.child.kill('SIGKILL');
  await api.exited;
}

/** Debian's Chromium (never a downloaded one), quiet: no background traffic of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Stack {
  baseUrl: string;
  browser: Browser;
  api: ApiProcess;
  stop: () => Promise<void>;
}

/** API + Chromium, torn down in reverse. The data directory is new each time, so every run starts empty. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'youngchat-web-e2e-'));
  const api = startApi(dataDir, env);
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await stopApi(api);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await api.port;
    browser = await launchChromium();
    return { baseUrl: `http://127.0.0.1:${port}`, browser, api, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** JS errors, CSP violations and 5xx answers seen so far; a journey ends by expecting this to be empty. */
  problems: string[];
}

/**
 * A 360 px wide page (the smallest phone we support) that records anything that went wrong. 4xx answers are part
 * of normal journeys (no session yet, wrong password) and are left to the assertions; Chromium's own console
 * line for them ("Failed to load resource …4xx") is therefore not counted.
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
    problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 500) problems.push(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  // Init scripts run outside the page's CSP, so this listener sees every violation the policy reports.
  await page.exposeFunction('__reportCsp', (text: string) => problems.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp;
      report(`${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return { context, page, problems };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page. The page's CSP forbids injected <script> tags, so the source goes in through the
 * DevTools protocol (page.evaluate), which CSP does not govern: the app keeps running under its real policy.
 */
/** Fails the test with what axe-core found on the page, and where in the journey. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations;
}

interface OutboxEntry {
  to: string;
  subject: string;
  text: string;
  sentAt: string;
}

/** The latest code mailed to `email`, from the embedded dev outbox (loopback only), as a person reads their mail. */
export async function codeFromOutbox(baseUrl: string, email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${baseUrl}/dev/outbox?format=json`);
    if (res.status !== 200) throw new Error(`dev outbox answered ${res.status}`);
    const mails = ((await res.json()) as OutboxEntry[]).filter((m) => m.to === email);
    const code = mails.at(-1)?.text.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code mailed to ${email}`);
}

/** The whole sign-up through the UI, for journeys that are about what happens afterwards. */
export async function signUpThroughUi(
  page: Page,
  baseUrl: string,
  account: { email: string; password: string; nickname: string },
): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Your name', { exact: true }).fill(account.nickname);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'We sent you a code' }).waitFor();
  await page.getByLabel('Code from the email').fill(await codeFromOutbox(baseUrl, account.email));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { level: 1, name: `Hello, ${account.nickname}!` }).waitFor();
}

/** A person made through the API (as an external typed client would), with a token for further calls. */
export async function apiPerson(baseUrl: string, nickname: string) {
  const email = `${nickname.toLowerCase()}.${Date.now()}@example.com`;
  const password = `a pass phrase for ${nickname}`;
  const anonymous = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${baseUrl}/trpc` })] });
  await anonymous.auth.signUp.mutate({ email, password, nickname });
  const session = await anonymous.auth.verifyEmail.mutate({ email, code: await codeFromOutbox(baseUrl, email), session: 'token' });
  const client = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/trpc`, headers: { authorization: `Bearer ${session.accessToken}` } })],
  });
  return { user: session.user, client, email, password, nickname };
}

/** The SPA's words in one language (the journeys find controls by them, as a screen reader would). */
export type Words = typeof en;

/** i18next's {{name}} filled in, for the words the screens show. */
export const say = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

export async function logInThroughUi(
  page: Page,
  baseUrl: string,
  person: { email: string; password: string; nickname: string },
  w: Words = en,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(w.auth.email, { exact: true }).fill(person.email);
  await page.getByLabel(w.auth.password, { exact: true }).fill(person.password);
  await page.getByRole('button', { name: w.auth.logInButton, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: say(w.home.titleSignedIn, { nickname: person.nickname }) }).waitFor();
}

/** One message in the conversation, by its text. */
export const messageItem = (page: Page, text: string): Locator =>
  page.getByRole('log', { name: 'Messages' }).locator('li.message', { hasText: text });

export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

/** Logging out is on every page but the chat screen: from there, through Settings. */
export async function logOutThroughUi(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();
}
