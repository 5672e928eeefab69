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

  it('shows the server, goes up to date, with no errors or CSP violations', async () => {
    const { context, page, problems } = await openPage(stack.browser);

    const info = (await (await fetch(`${stack.baseUrl}/trpc/system.info`)).json()) as {
      result: { data: { instanceId: string } };
    };

    const response = await page.goto(`${stack.baseUrl}/`);
    expect(response?.status()).toBe(200);
    // The "no CSP violations" check only means something if the page really runs under the strict policy.
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    await page.getByRole('status', { name: 'Connection:' }).filter({ hasText: 'Up to date' }).waitFor();
    await page.getByText(info.result.data.instanceId, { exact: true }).waitFor();

    // Works at 360 px: nothing forces sideways scrolling.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(360);

    expect(problems, stack.api.output()).toEqual([]);
    await context.close();
  });
});
