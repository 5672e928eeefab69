import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logOutThroughUi, openPage, signUpThroughUi, startStack, type Stack } from './support.ts';

/**
 * Sessions over time, with 30-second access tokens (the API's minimum) so renewal happens within the test:
 * the scheduled refresh, the socket coming back with the new token after the server closed it on expiry, and two
 * tabs refreshing at the same instant without tripping refresh-token reuse detection.
 */
describe('session renewal in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ ACCESS_TOKEN_TTL_SEC: '30' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('renews the token before it expires and keeps working past the first token’s lifetime', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(stack.browser);
    const refreshes: number[] = [];
    page.on('request', (req) => {
      if (req.url().includes('auth.refresh')) refreshes.push(Date.now());
    });
    await signUpThroughUi(page, stack.baseUrl, { email: `bo.${Date.now()}@example.com`, password: 'a long pass phrase', nickname: 'Bo' });
    const signedInAt = Date.now();
    const before = refreshes.length;

    // A fifth of 30 s early: around 24 s after sign-in, without any reload or click.
    await expect.poll(() => refreshes.length, { timeout: 35_000, interval: 500 }).toBeGreaterThan(before);
    const renewedAfter = refreshes.at(-1)! - signedInAt;
    expect(renewedAfter).toBeGreaterThan(15_000);
    expect(renewedAfter).toBeLessThan(30_000);

    // Past the first token's expiry: the server closed the socket (4401) and it came back with the new token.
    await page.waitForTimeout(Math.max(0, signedInAt + 32_000 - Date.now()));
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Connected' }).waitFor();
    await page.getByRole('link', { name: 'Your profile' }).click();
    await page.getByLabel('Status message').fill('Still here');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    expect(problems, stack.api.output()).toEqual([]);
    await context.close();
  });

  it('two tabs reloading at once both stay signed in (refreshes take turns)', { timeout: 60_000 }, async () => {
    const first = await openPage(stack.browser);
    await signUpThroughUi(first.page, stack.baseUrl, { email: `cy.${Date.now()}@example.com`, password: 'another long phrase', nickname: 'Cy' });
    // Same browser profile, so the same cookie jar: a second tab.
    const second = await first.context.newPage();
    await second.goto(`${stack.baseUrl}/`);
    await second.getByRole('heading', { level: 1, name: 'Hello, Cy!' }).waitFor();

    for (let round = 0; round < 3; round++) {
      // Both start with the same refresh cookie. Presented twice, it would revoke the session for both.
      await Promise.all([first.page.reload(), second.reload()]);
      await Promise.all([
        first.page.getByRole('heading', { level: 1, name: 'Hello, Cy!' }).waitFor(),
        second.getByRole('heading', { level: 1, name: 'Hello, Cy!' }).waitFor(),
      ]);
    }

    // Logging out in one tab logs out the other at once.
    await logOutThroughUi(first.page);
    await second.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();

    expect(first.problems, stack.api.output()).toEqual([]);
    await first.context.close();
  });
});
