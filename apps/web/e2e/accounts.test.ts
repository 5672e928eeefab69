import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from './png.ts';
import { expectNoAxeViolations, codeFromOutbox, logOutThroughUi, openPage, startStack, type Stack } from './support.ts';

/** The element that has keyboard focus, as a screen reader would name it. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${el.textContent?.trim() ?? ''}` : 'none';
  });
}

describe('accounts in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('sign up → code → signed in → reload keeps the session → profile → log out → log in', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(stack.browser);
    const email = `ann.${Date.now()}@example.com`;
    const password = 'correct horse battery staple';

    // Signed out: a welcome and two clear ways in.
    await page.goto(`${stack.baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/signup');
    expect(await focused(page)).toBe('h1:Create your account'); // the new page is announced
    await expectNoAxeViolations(page, 'sign-up page');

    // A mistake is explained next to the box it belongs to, and the cursor goes there.
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Your name', { exact: true }).fill('Ann');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please check the marked boxes.' }).waitFor();
    const passwordBox = page.getByLabel('Password', { exact: true });
    await expect.poll(() => passwordBox.getAttribute('aria-invalid')).toBe('true');
    expect(await passwordBox.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByText('Use 8 to 128 characters.').isVisible()).toBe(true);

    // The show/hide button really shows what was typed.
    await page.getByRole('button', { name: 'Show password' }).click();
    expect(await passwordBox.getAttribute('type')).toBe('text');
    await page.getByRole('button', { name: 'Hide password' }).click();
    expect(await passwordBox.getAttribute('type')).toBe('password');

    // A password everybody uses is refused by the API, in plain words, next to the box.
    await passwordBox.fill('password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'That password is too easy to guess.' }).waitFor();

    await passwordBox.fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();

    // "We sent you a code", with the address it went to.
    await page.getByRole('heading', { level: 1, name: 'We sent you a code' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/verify');
    await page.getByText(email).waitFor();
    const codeBox = page.getByLabel('Code from the email');
    expect(await codeBox.getAttribute('inputmode')).toBe('numeric');
    expect(await codeBox.getAttribute('autocomplete')).toBe('one-time-code');
    // The new-code button counts down instead of inviting a press that would be refused.
    const resend = page.getByRole('button', { name: /Send a new code \(wait \d+ seconds?\)/ });
    expect(await resend.getAttribute('aria-disabled')).toBe('true');

    const code = await codeFromOutbox(stack.baseUrl, email);
    const wrong = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
    await codeBox.fill(wrong);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code didn’t work. Check it, or ask for a new one.' }).waitFor();

    // Pasted with a space, as mail apps often do: the box keeps the digits.
    await codeBox.fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(await codeBox.inputValue()).toBe(code);
    await page.getByRole('button', { name: 'Confirm' }).click();

    // Signed in: greeted by name, on the home page, the heading focused.
    await page.getByRole('heading', { level: 1, name: 'Hello, Ann!' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await focused(page)).toBe('h1:Hello, Ann!');
    // The socket reconnected with the new identity: the chat's live stream (which needs a signed-in socket) is up.
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Connected' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Your chats' }).waitFor();

    // The access token lives in memory only.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toMatch(/eyJ/); // no JWT anywhere a script could read
    const cookies = await context.cookies();
    const refreshCookie = cookies.find((c) => c.path === '/trpc');
    expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // Reload: the session comes back silently from the HttpOnly cookie.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Hello, Ann!' }).waitFor();

    // Profile: initials while there is no picture.
    await page.getByRole('link', { name: 'Your profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
    expect(await page.getByRole('img', { name: 'Your picture' }).textContent()).toBe('A');
    await expectNoAxeViolations(page, 'profile page');

    await page.getByLabel('Your name', { exact: true }).fill('Ann Lee');
    await page.getByLabel('Status message').fill('On holiday!');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    // Choose a picture → see it → use it.
    await page.getByLabel('Choose a picture').setInputFiles({
      name: '프로필 사진.png',
      mimeType: 'image/png',
      buffer: makePng(),
    });
    const preview = page.getByRole('img', { name: 'Your new picture' });
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toMatch(/^blob:/);
    await page.getByRole('button', { name: 'Use this picture' }).click();
    await page.getByRole('status').filter({ hasText: 'Your picture is saved.' }).waitFor();
    const picture = page.getByRole('img', { name: 'Your picture' });
    await expect.poll(() => picture.getAttribute('src')).toMatch(/^\/files\/avatars\//);
    // It really loads (same origin, allowed by the CSP, served as an image).
    await expect
      .poll(() => picture.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    expect(await preview.count()).toBe(0);
    await expectNoAxeViolations(page, 'profile page with a picture');

    // Remove it: back to the initial.
    await page.getByRole('button', { name: 'Remove picture' }).click();
    await page.getByRole('status').filter({ hasText: 'Your picture was removed.' }).waitFor();
    await expect.poll(() => page.getByRole('img', { name: 'Your picture' }).textContent()).toBe('A');

    await page.getByRole('link', { name: 'Back to home' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hello, Ann Lee!' }).waitFor();

    // Log out (through Settings): signed-out home, its heading focused, and a reload does not bring the session back.
    await logOutThroughUi(page);
    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    expect(await focused(page)).toBe('h1:Welcome to YOUng Chat');
    await page.getByRole('status').filter({ hasText: 'You are logged out.' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    // A signed-out visit to the profile goes to the login page, and back to the profile afterwards.
    await page.goto(`${stack.baseUrl}/profile`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/profile');

    // A wrong password is explained in plain words.
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'That email or password is not right. Please try again.' }).waitFor();

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    expect(await page.getByLabel('Status message').inputValue()).toBe('On holiday!');

    // Korean, remembered across a reload.
    await page.getByLabel('Language · 언어').selectOption('ko');
    await page.getByRole('heading', { level: 1, name: '내 프로필' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '내 프로필' }).waitFor();
    await page.getByRole('link', { name: '처음 화면으로' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ann Lee님, 안녕하세요!' }).waitFor();

    // Still fits a 360 px phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(problems, stack.api.output()).toEqual([]);
    await context.close();
  });
});
