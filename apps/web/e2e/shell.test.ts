import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPerson, expectNoAxeViolations, logInThroughUi, messageItem, openPage, send, startStack, type Stack } from './support.ts';

/**
 * The messenger's shape at a phone's and a desktop's size: the list beside the open chat on a desktop, one pane
 * at a time on a phone, a compact room header, date and new-messages lines, one menu per room and per message
 * (Escape returns focus), and the settings' largest text keeping the composer on screen after a reload.
 */
const shots = process.env.SCREENSHOT_DIR; // set to look at the layout: SCREENSHOT_DIR=/tmp npx vitest run e2e/shell

async function shoot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: `${shots}/shell-${name}.png` });
}

const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

/** Whether the element is wholly inside the window (what the person can see without scrolling). */
const onScreen = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
  });

describe('the messenger layout in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('desktop: list beside the chat; phone: one pane, compact header, composer on screen with the largest text', { timeout: 120_000 }, async () => {
    const ann = await apiPerson(stack.baseUrl, 'Ann');
    const ben = await apiPerson(stack.baseUrl, 'Ben');
    const room = await ben.client.rooms.openDirect.mutate({ userId: ann.user.id });
    for (const body of ['Good morning, Ann!', 'Are you free on Sunday?', `A long story: ${'We walked by the river and talked. '.repeat(40)}`]) {
      await ben.client.messages.send.mutate({ roomId: room.id, body, clientId: crypto.randomUUID() });
    }
    const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'full' }).format(new Date());

    // ---- Desktop: the list, and the chat beside it once chosen ----
    const desk = await openPage(stack.browser, { viewport: { width: 1280, height: 800 } });
    await logInThroughUi(desk.page, stack.baseUrl, ann);
    await desk.page.getByText('Choose a chat on the left to read it here.').waitFor();
    await desk.page.getByRole('link', { name: /^Ben.*3 unread messages/ }).click();
    await desk.page.getByRole('heading', { level: 1, name: 'Ben' }).waitFor();
    expect(await desk.page.getByRole('link', { name: /^Ben/ }).isVisible()).toBe(true); // the list stays beside
    expect(await desk.page.getByRole('heading', { level: 1 }).count()).toBe(1);
    const log = desk.page.getByRole('log', { name: 'Messages' });
    await log.getByText(today, { exact: true }).waitFor();
    await log.getByText('New messages', { exact: true }).waitFor();
    // Long messages are folded until asked for.
    const story = messageItem(desk.page, 'A long story');
    await story.getByRole('button', { name: 'Show all' }).click();
    await story.getByRole('button', { name: 'Show less' }).waitFor();
    await send(desk.page, 'Yes, Sunday is fine');
    await messageItem(desk.page, 'Yes, Sunday is fine').getByText('Not read yet by 1 person').waitFor();
    await expectNoAxeViolations(desk.page, 'desktop: list beside a chat');
    await shoot(desk.page, 'desktop');

    // One message menu: right-click opens it, Escape closes it and focus goes back where it was (the press put it
    // on the conversation).
    await messageItem(desk.page, 'Good morning').locator('.bubble').click({ button: 'right' });
    const menu = desk.page.getByRole('menu', { name: 'Message menu' });
    await menu.getByRole('menuitem', { name: 'Copy' }).waitFor();
    expect(await menu.getByRole('menuitem', { name: 'Edit' }).count()).toBe(0); // not mine
    await expectNoAxeViolations(desk.page, 'message menu open');
    await desk.page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    expect(await log.evaluate((el) => el === document.activeElement)).toBe(true);
    // …and by keyboard: the button shows on focus.
    const mine = messageItem(desk.page, 'Yes, Sunday is fine');
    await mine.getByRole('button', { name: /^Options for your message/ }).focus();
    await desk.page.keyboard.press('Enter');
    await menu.getByRole('menuitem', { name: 'Copy' }).waitFor();
    expect(await focusedName(desk.page)).toBe('Reply'); // the same order everywhere: reply, react, copy, edit, delete
    await desk.page.keyboard.press('ArrowDown');
    expect(await focusedName(desk.page)).toBe('React');
    await desk.page.keyboard.press('End');
    expect(await focusedName(desk.page)).toBe('Delete');
    await desk.page.keyboard.press('Escape');
    expect(await focusedName(desk.page)).toMatch(/^Options for your message/);

    // The room's one menu; a dialog from it closes with Escape, back onto the menu button.
    await desk.page.getByRole('button', { name: 'Room menu' }).click();
    await desk.page.getByRole('menuitem', { name: 'About Ben' }).click();
    await desk.page.getByRole('dialog', { name: 'About Ben' }).waitFor();
    await expectNoAxeViolations(desk.page, 'a dialog from the room menu');
    await desk.page.keyboard.press('Escape');
    expect(await desk.page.getByRole('dialog').count()).toBe(0);
    expect(await focusedName(desk.page)).toBe('Room menu');
    expect(desk.problems, stack.api.output()).toEqual([]);
    await desk.context.close();

    // ---- Phone: the list alone, then the chat alone with a compact header ----
    const phone = await openPage(stack.browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await logInThroughUi(phone.page, stack.baseUrl, ann);
    await phone.page.getByRole('link', { name: /^Ben/ }).click();
    await phone.page.getByRole('heading', { level: 1, name: 'Ben' }).waitFor();
    expect(await phone.page.getByRole('link', { name: /^Ben/ }).isVisible()).toBe(false);
    const header = await phone.page.locator('.chat-header').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(64);
    expect(await onScreen(phone.page, '.composer')).toBe(true);
    await expectNoAxeViolations(phone.page, 'phone: a chat');
    await shoot(phone.page, 'phone-room');
    await phone.page.getByRole('link', { name: 'Chats', exact: true }).click();
    await phone.page.getByRole('heading', { level: 1, name: 'Hello, Ann!' }).waitFor();
    await shoot(phone.page, 'phone-list');

    // ---- Settings: the largest text and high contrast, remembered after a reload ----
    await phone.page.getByRole('link', { name: 'Settings' }).click();
    await phone.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const rootSize = () => phone.page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const normal = await rootSize();
    await phone.page.getByRole('radio', { name: 'Largest' }).check();
    await phone.page.getByRole('checkbox', { name: /High contrast/ }).check();
    expect(await rootSize()).toBeGreaterThanOrEqual(normal * 1.5);
    await expectNoAxeViolations(phone.page, 'settings');
    await phone.page.reload();
    expect(await phone.page.getByRole('radio', { name: 'Largest' }).isChecked()).toBe(true);
    expect(await phone.page.getByRole('checkbox', { name: /High contrast/ }).isChecked()).toBe(true);
    expect(await rootSize()).toBeGreaterThanOrEqual(normal * 1.5);

    // With the largest text on a small phone, the composer is still on screen.
    await phone.page.setViewportSize({ width: 360, height: 640 });
    await phone.page.goto(`${stack.baseUrl}/rooms/${room.id}`);
    await phone.page.getByRole('heading', { level: 1, name: 'Ben' }).waitFor();
    expect(await onScreen(phone.page, '.composer')).toBe(true);
    expect(await phone.page.getByRole('button', { name: 'Send', exact: true }).isVisible()).toBe(true);
    await expectNoAxeViolations(phone.page, 'phone: a chat with the largest text and high contrast');
    await shoot(phone.page, 'phone-largest');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    expect(phone.problems, stack.api.output()).toEqual([]);
    await phone.context.close();
  });
});
