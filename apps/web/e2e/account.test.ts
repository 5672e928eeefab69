import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, logOutThroughUi, openPage, signUpThroughUi, startStack, type Stack } from './support.ts';

/**
 * Account life in a real browser: a forgotten password reset by emailed code, the list of signed-in devices and
 * signing one out from another, changing the password, downloading one's data, deleting the account, and how a
 * deleted account shows to the people it talked to.
 */

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

interface OutboxEntry {
  to: string;
  subject: string;
  text: string;
}

/** The code of the first password-reset mail to `email` in the dev outbox (the sign-up code came earlier). */
async function resetCodeFromOutbox(baseUrl: string, email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const mails = (await (await fetch(`${baseUrl}/dev/outbox?format=json`)).json()) as OutboxEntry[];
    const code = mails.find((m) => m.to === email && /password reset/.test(m.subject))?.text.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no reset code mailed to ${email}`);
}

const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
/** Focus moves after a render (or the next frame): wait for it a little. */
const expectFocused = (locator: Locator) => expect.poll(() => isFocused(locator), { timeout: 5_000 }).toBe(true);

async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

describe('account life in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('forgot password → code → new password → devices → sign out another → change password → download → delete', { timeout: 180_000 }, async () => {
    const { context, page, problems } = await openPage(stack.browser);
    const email = `ann.${Date.now()}@example.com`;
    await signUpThroughUi(page, stack.baseUrl, { email, password: 'correct horse battery staple', nickname: 'Ann' });
    await logOutThroughUi(page);
    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();

    // ---- Forgot password: from the login page, by email and code ----
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/reset-password');
    await expectNoAxeViolations(page, 'reset page, email step');

    // An address without an account gets the very same words (nobody can learn who has an account here).
    await page.getByLabel('Email', { exact: true }).fill('nobody.here@example.com');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'If nobody.here@example.com has an account, we sent a code to it. Look for an email with 6 numbers.' })
      .waitFor();
    await page.getByRole('button', { name: 'Use a different email' }).click();
    const emailBox = page.getByLabel('Email', { exact: true });
    await expectFocused(emailBox);

    await emailBox.fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('status').filter({ hasText: `If ${email} has an account, we sent a code to it.` }).waitFor();
    // The person carries on where the code goes.
    const codeBox = page.getByLabel('Code from the email');
    await expectFocused(codeBox);
    const newPasswordBox = page.getByLabel('New password', { exact: true });
    expect(await newPasswordBox.getAttribute('autocomplete')).toBe('new-password');
    await expectNoAxeViolations(page, 'reset page, code step');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const code = await resetCodeFromOutbox(stack.baseUrl, email);
    // The same password rules as at sign-up, next to the box.
    await codeBox.fill(code);
    await newPasswordBox.fill('short');
    await page.getByRole('button', { name: 'Save and log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please check the marked boxes.' }).waitFor();
    await page.getByText('Use 8 to 128 characters.').waitFor();
    expect(await isFocused(newPasswordBox)).toBe(true);

    const wrong = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
    await codeBox.fill(wrong);
    await newPasswordBox.fill('a brand new pass phrase');
    await page.getByRole('button', { name: 'Save and log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code didn’t work. Check it, or ask for a new one.' }).waitFor();

    await codeBox.fill(code);
    await page.getByRole('button', { name: 'Save and log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hello, Ann!' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    let password = 'a brand new pass phrase';

    // ---- A second device: another browser, on a phone ----
    const phone = await openPage(stack.browser, { userAgent: IPHONE_SAFARI });
    await logIn(phone.page, stack.baseUrl, email, password);
    await phone.page.getByRole('heading', { level: 1, name: 'Hello, Ann!' }).waitFor();

    // ---- Account and security, from the profile page ----
    await page.getByRole('link', { name: 'Your profile' }).click();
    await page.getByRole('link', { name: 'Account and security' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account and security' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');

    const devicesPanel = page.getByRole('region', { name: 'Signed-in devices' });
    const devices = devicesPanel.getByRole('listitem');
    await expect.poll(() => devices.count()).toBe(2);
    // This device first, marked, and with no button of its own (it logs out at the top).
    await devices.first().getByText('This device').waitFor();
    expect(await devices.first().textContent()).toContain('Chrome on Linux');
    expect(await devices.first().getByRole('button').count()).toBe(0);
    await devices.nth(1).getByText('Safari on iPhone').waitFor();
    await devices.nth(1).getByText('Last used:').waitFor();
    await expectNoAxeViolations(page, 'account page');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // ---- Sign out the phone from here: the phone finds itself logged out ----
    await devicesPanel.getByRole('button', { name: 'Sign out Safari on iPhone' }).click();
    await page.getByRole('status').filter({ hasText: 'Safari on iPhone is signed out.' }).waitFor();
    await expect.poll(() => devices.count()).toBe(1);
    // The phone hears it at once (its live stream is refused, and its session does not renew): logged out, told why.
    await phone.page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    await phone.page.getByRole('status').filter({ hasText: 'You were logged out. Please log in again.' }).waitFor();
    await phone.page.reload();
    await phone.page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    expect(phone.problems, stack.api.output()).toEqual([]);
    await phone.context.close();

    // ---- Change the password: the current one first ----
    const passwordPanel = page.getByRole('region', { name: 'Change your password' });
    const currentBox = passwordPanel.getByLabel('Current password');
    await currentBox.fill('not my password');
    await passwordPanel.getByLabel('New password', { exact: true }).fill('yet another pass phrase');
    await passwordPanel.getByRole('button', { name: 'Change password' }).click();
    await passwordPanel.getByRole('alert').filter({ hasText: 'That password is not right. Please try again.' }).waitFor();
    expect(await isFocused(currentBox)).toBe(true);
    await currentBox.fill(password);
    await passwordPanel.getByRole('button', { name: 'Change password' }).click();
    await passwordPanel.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    expect(await currentBox.inputValue()).toBe('');
    password = 'yet another pass phrase';

    // ---- Download my data: a JSON file made in the page ----
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toBe('youngchat-data.json');
    const data = JSON.parse(await readFile(await download.path(), 'utf8')) as { profile: { nickname: string; email: string } };
    expect(data.profile).toMatchObject({ nickname: 'Ann', email });
    await page.getByRole('status').filter({ hasText: 'Your file youngchat-data.json is ready.' }).waitFor();

    // ---- Delete the account: the safe answer first, Escape backs out ----
    const open = page.getByRole('button', { name: 'Delete my account', exact: true });
    await open.click();
    expect(await open.getAttribute('aria-expanded')).toBe('true');
    const keep = page.getByRole('button', { name: 'Keep my account' });
    await expectFocused(keep);
    const confirm = page.getByRole('group', { name: 'Delete your account? This cannot be undone.' });
    await confirm.getByText('Messages you sent stay in their chats, shown as from “Deleted user”.').waitFor();
    await expectNoAxeViolations(page, 'delete confirmation');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    await expectFocused(open);

    // Keyboard only: open, go to the password, a wrong one is refused in plain words.
    await page.keyboard.press('Enter');
    await expectFocused(keep);
    const passwordBox = page.getByLabel('Your password, to confirm');
    await passwordBox.fill('not my password');
    await passwordBox.press('Enter');
    await confirm.getByRole('alert').filter({ hasText: 'That password is not right. Please try again.' }).waitFor();
    expect(await isFocused(passwordBox)).toBe(true);

    await passwordBox.fill(password);
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your account is deleted.' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();

    // The account is gone: its email and password no longer open anything.
    await logIn(page, stack.baseUrl, email, password);
    await page.getByRole('alert').filter({ hasText: 'That email or password is not right. Please try again.' }).waitFor();

    // Still fits a 360 px phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(problems, stack.api.output()).toEqual([]);
    await context.close();
  });

  it('someone who deleted their account shows as “Deleted user” to the people they talked to', { timeout: 120_000 }, async () => {
    const ann = await openPage(stack.browser);
    const bo = await openPage(stack.browser);
    const password = 'correct horse battery staple';
    await signUpThroughUi(ann.page, stack.baseUrl, { email: `ann2.${Date.now()}@example.com`, password, nickname: 'Annie' });
    await signUpThroughUi(bo.page, stack.baseUrl, { email: `bo.${Date.now()}@example.com`, password: 'another long pass phrase', nickname: 'Bo' });

    await ann.page.getByRole('link', { name: 'New chat' }).click();
    await ann.page.getByLabel('Name or email').fill('Bo');
    await ann.page.getByRole('button', { name: 'Chat with Bo' }).click();
    await ann.page.getByRole('heading', { level: 1, name: 'Bo' }).waitFor();
    const box = ann.page.getByLabel('Your message', { exact: true });
    await box.fill('Hello from Annie');
    await box.press('Enter');
    await bo.page.getByRole('link', { name: /Annie/ }).click();
    await bo.page.getByRole('log', { name: 'Messages' }).getByText('Hello from Annie').waitFor();

    await ann.page.goto(`${stack.baseUrl}/account`);
    await ann.page.getByRole('button', { name: 'Delete my account', exact: true }).click();
    await ann.page.getByLabel('Your password, to confirm').fill(password);
    await ann.page.getByRole('button', { name: 'Delete my account for good' }).click();
    await ann.page.getByRole('heading', { level: 1, name: 'Welcome to YOUng Chat' }).waitFor();

    // Bo still reads what Annie said, now from a deleted user, live and after a reload.
    const annies = bo.page.getByRole('log', { name: 'Messages' }).locator('li.message', { hasText: 'Hello from Annie' });
    await annies.getByText('Deleted user', { exact: true }).waitFor();
    await bo.page.reload();
    await annies.getByText('Deleted user', { exact: true }).waitFor();
    await bo.page.getByText('The other person is no longer in this chat.', { exact: false }).waitFor();
    // The chat keeps a name for them, not "Someone who left".
    await bo.page.getByRole('heading', { level: 1, name: 'Deleted user' }).waitFor();
    expect([...ann.problems, ...bo.problems], stack.api.output()).toEqual([]);
    await Promise.all([ann.context.close(), bo.context.close()]);
  });
});
