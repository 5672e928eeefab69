import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../src/lib/locales/en.ts';
import { ko } from '../src/lib/locales/ko.ts';
import { apiPerson, expectNoAxeViolations, logInThroughUi, openPage, say, startStack, type Stack, type Words } from './support.ts';

/**
 * The messenger's shape at a phone's and a desktop's size, in English and in Korean (the screen's words come from
 * the locale files): the list beside the open chat on a desktop, one pane at a time on a phone, a compact room
 * header, the date line and the new-messages line above the first unread message, one menu per room and per
 * message (Escape returns focus), and the settings' largest text keeping the composer on screen after a reload.
 */
const shots = process.env.SCREENSHOT_DIR; // set to look at the layout: SCREENSHOT_DIR=/tmp npx vitest run e2e/shell

/** The words before the first {{value}}: what an accessible name starts with. */
const startOf = (template: string) => template.slice(0, template.indexOf('{{'));
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

/** Whether the element is wholly inside the window (what the person can see without scrolling). */
const onScreen = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
  });

const runs: { language: 'en' | 'ko'; words: Words; locale: string }[] = [
  { language: 'en', words: en, locale: 'en-US' },
  { language: 'ko', words: ko, locale: 'ko-KR' },
];

describe('the messenger layout in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  for (const { language, words: w, locale } of runs) {
    it(`${language}: desktop: list beside the chat; phone: one pane, compact header, composer on screen with the largest text`, { timeout: 120_000 }, async () => {
      const shoot = async (page: Page, name: string) => {
        if (shots) await page.screenshot({ path: `${shots}/shell-${language}-${name}.png` });
      };
      const send = async (page: Page, text: string) => {
        const box = page.getByLabel(w.chat.composerLabel, { exact: true });
        await box.fill(text);
        await box.press('Enter');
      };
      const messageItem = (page: Page, text: string) => page.getByRole('log', { name: w.chat.messages }).locator('li.message', { hasText: text });

      const ann = await apiPerson(stack.baseUrl, 'Ann');
      const ben = await apiPerson(stack.baseUrl, 'Ben');
      const room = await ben.client.rooms.openDirect.mutate({ userId: ann.user.id });
      const sendAsBen = (body: string) => ben.client.messages.send.mutate({ roomId: room.id, body, clientId: crypto.randomUUID() });
      // Ann has read the first message; the two after it are new to her.
      const first = await sendAsBen('Good morning, Ann!');
      await ann.client.rooms.markRead.mutate({ roomId: room.id, seq: first.seq });
      for (const body of ['Are you free on Sunday?', `A long story: ${'We walked by the river and talked. '.repeat(40)}`]) await sendAsBen(body);
      // The date line names today in full, in the page's language.
      const today = new Intl.DateTimeFormat(language, { dateStyle: 'full' }).format(new Date());
      const options: BrowserContextOptions = { locale };

      // ---- Desktop: the list, and the chat beside it once chosen ----
      const desk = await openPage(stack.browser, { ...options, viewport: { width: 1280, height: 800 } });
      await logInThroughUi(desk.page, stack.baseUrl, ann, w);
      await desk.page.getByText(w.chat.chooseRoom).waitFor();
      await desk.page.getByRole('link', { name: new RegExp(`^Ben.*${escaped(say(w.chat.unread_other, { count: 2 }))}`) }).click();
      await desk.page.getByRole('heading', { level: 1, name: 'Ben' }).waitFor();
      expect(await desk.page.getByRole('link', { name: /^Ben/ }).isVisible()).toBe(true); // the list stays beside
      expect(await desk.page.getByRole('heading', { level: 1 }).count()).toBe(1);
      const log = desk.page.getByRole('log', { name: w.chat.messages });
      await log.getByText(today, { exact: true }).waitFor();
      await log.getByText(w.chat.newMessagesLine, { exact: true }).waitFor();
      // Today's date line above the day's first message, and the new-messages line right above the first unread one.
      const rows = await log.locator('ol.messages > li').evaluateAll((items) =>
        items.map((li) => `${li.classList[0]}: ${(li.querySelector('.message-body') ?? li).textContent?.trim().slice(0, 40)}`),
      );
      expect(rows.slice(0, 4)).toEqual([
        `day-line: ${today}`,
        'message: Good morning, Ann!',
        `unread-line: ${w.chat.newMessagesLine}`,
        'message: Are you free on Sunday?',
      ]);
      // Long messages are folded until asked for.
      const story = messageItem(desk.page, 'A long story');
      await story.getByRole('button', { name: w.chat.showAll }).click();
      await story.getByRole('button', { name: w.chat.showLess }).waitFor();
      await send(desk.page, 'Yes, Sunday is fine');
      await messageItem(desk.page, 'Yes, Sunday is fine').getByText(say(w.chat.unreadBy_one, { count: 1 })).waitFor();
      await expectNoAxeViolations(desk.page, `${language} desktop: list beside a chat`);
      await shoot(desk.page, 'desktop');

      // One message menu: right-click opens it, Escape closes it and focus goes back where it was (the press put it
      // on the conversation).
      await messageItem(desk.page, 'Good morning').locator('.bubble').click({ button: 'right' });
      const menu = desk.page.getByRole('menu', { name: w.chat.messageMenu });
      await menu.getByRole('menuitem', { name: w.chat.copy }).waitFor();
      expect(await menu.getByRole('menuitem', { name: w.chat.edit }).count()).toBe(0); // not mine
      await expectNoAxeViolations(desk.page, `${language} message menu open`);
      await desk.page.keyboard.press('Escape');
      expect(await menu.count()).toBe(0);
      expect(await log.evaluate((el) => el === document.activeElement)).toBe(true);
      // …and by keyboard: the button shows on focus.
      const mine = messageItem(desk.page, 'Yes, Sunday is fine');
      const optionsForMine = startOf(w.chat.optionsFor);
      const optionsButton = mine.getByRole('button', { name: optionsForMine });
      await optionsButton.focus();
      expect(await focusedName(desk.page)).toBe(say(w.chat.optionsFor, { body: 'Yes, Sunday is fine' }));
      await optionsButton.press('Enter');
      await menu.getByRole('menuitem', { name: w.chat.copy }).waitFor();
      expect(await focusedName(desk.page)).toBe(w.chat.reply); // the same order everywhere: reply, react, copy, edit, delete
      await desk.page.keyboard.press('ArrowDown');
      expect(await focusedName(desk.page)).toBe(w.chat.react);
      await desk.page.keyboard.press('End');
      expect(await focusedName(desk.page)).toBe(w.chat.delete);
      // A message arriving moves the conversation: the open menu goes along with its message and keeps focus.
      const menuOffset = async () => {
        const [bubble, box] = await Promise.all([mine.locator('.bubble-row').boundingBox(), menu.boundingBox()]);
        return Math.round(box!.y - bubble!.y);
      };
      const offsetBefore = await menuOffset();
      await sendAsBen('Great, see you then');
      await messageItem(desk.page, 'Great, see you then').waitFor();
      await expect.poll(menuOffset).toBe(offsetBefore);
      expect(await focusedName(desk.page)).toBe(w.chat.delete);
      await desk.page.keyboard.press('Escape');
      expect((await focusedName(desk.page)).startsWith(optionsForMine)).toBe(true);

      // The room's one menu; a dialog from it closes with Escape, back onto the menu button.
      const aboutBen = say(w.chat.aboutNickname, { nickname: 'Ben' });
      await desk.page.getByRole('button', { name: w.chat.roomMenu }).click();
      await desk.page.getByRole('menuitem', { name: aboutBen }).click();
      await desk.page.getByRole('dialog', { name: aboutBen }).waitFor();
      await expectNoAxeViolations(desk.page, `${language} a dialog from the room menu`);
      await desk.page.keyboard.press('Escape');
      expect(await desk.page.getByRole('dialog').count()).toBe(0);
      expect(await focusedName(desk.page)).toBe(w.chat.roomMenu);
      expect(desk.problems, stack.api.output()).toEqual([]);
      await desk.context.close();

      // ---- Phone: the list alone, then the chat alone with a compact header ----
      const phone = await openPage(stack.browser, { ...options, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      await logInThroughUi(phone.page, stack.baseUrl, ann, w);
      await phone.page.getByRole('link', { name: /^Ben/ }).click();
      await phone.page.getByRole('heading', { level: 1, name: 'Ben' }).waitFor();
      expect(await phone.page.getByRole('link', { name: /^Ben/ }).isVisible()).toBe(false);
      const header = await phone.page.locator('.chat-header').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(64);
      expect(await onScreen(phone.page, '.composer')).toBe(true);
      await expectNoAxeViolations(phone.page, `${language} phone: a chat`);
      await shoot(phone.page, 'phone-room');
      await phone.page.getByRole('link', { name: w.chat.chats, exact: true }).click();
      await phone.page.getByRole('heading', { level: 1, name: say(w.home.titleSignedIn, { nickname: 'Ann' }) }).waitFor();
      await shoot(phone.page, 'phone-list');

      // ---- Settings: the largest text and high contrast, remembered after a reload ----
      await phone.page.getByRole('link', { name: w.settings.title, exact: true }).click();
      await phone.page.getByRole('heading', { level: 1, name: w.settings.title }).waitFor();
      const rootSize = () => phone.page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
      const normal = await rootSize();
      const largest = phone.page.getByRole('radio', { name: w.settings.textSizes.largest, exact: true });
      const highContrast = phone.page.getByRole('checkbox', { name: w.settings.highContrast });
      await largest.check();
      await highContrast.check();
      expect(await rootSize()).toBeGreaterThanOrEqual(normal * 1.5);
      await expectNoAxeViolations(phone.page, `${language} settings`);
      await phone.page.reload();
      expect(await largest.isChecked()).toBe(true);
      expect(await highContrast.isChecked()).toBe(true);
      expect(await rootSize()).toBeGreaterThanOrEqual(normal * 1.5);

      // With the largest text on a small phone, the composer is still on screen.
      await phone.page.setViewportSize({ width: 360, height: 640 });
      await phone.page.goto(`${stack.baseUrl}/rooms/${room.id}`);
      await phone.page.getByRole('heading', { level: 1, name: 'Ben' }).waitFor();
      expect(await onScreen(phone.page, '.composer')).toBe(true);
      expect(await phone.page.getByRole('button', { name: w.chat.send, exact: true }).isVisible()).toBe(true);
      await expectNoAxeViolations(phone.page, `${language} phone: a chat with the largest text and high contrast`);
      await shoot(phone.page, 'phone-largest');
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      expect(phone.problems, stack.api.output()).toEqual([]);
      await phone.context.close();
    });
  }
});
