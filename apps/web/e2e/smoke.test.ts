import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startStack, type Stack } from './support.ts';

describe('home page in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows a visitor only what they need (what it is, log in, sign up), with no errors or CSP violations', async () => {
    const { context, page, problems } = await openPage(stack.browser);

    const response = await page.goto(`${stack.baseUrl}/`);
    expect(response?.status()).toBe(200);
    // The "no CSP violations" check only means something if the page really runs under the strict policy.
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Sign up' }).waitFor();
    // Server details are for /healthz, not for visitors.
    const text = await page.locator('body').innerText();
    for (const internal of ['pglite', 'Instance', 'Event bus', 'Connection']) expect(text).not.toContain(internal);

    // Works at 360 px: nothing forces sideways scrolling.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(360);

    expect(problems, stack.api.output()).toEqual([]);
    await context.close();
  });
});
