import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@youngchat/api';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../src/lib/locales/en.ts';
import { ko } from '../src/lib/locales/ko.ts';
import { makePng } from './png.ts';
import { apiPerson, expectNoAxeViolations, logInThroughUi, openPage, say, startStack, type Stack, type Words } from './support.ts';

/**
 * Photos, replies and reactions between two people in two browsers, each arriving live on the other page: once on
 * a desktop in English, once on a phone in Korean (the screen's words come from the locale files, so a journey
 * reads as the person would). A room's photo loads for its members only.
 */
const shots = process.env.SCREENSHOT_DIR; // SCREENSHOT_DIR=/tmp npx vitest run e2e/media


const loaded = (img: Locator) => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0);
const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

const runs: { name: string; words: Words; caption: string; options: BrowserContextOptions }[] = [
  { name: 'desktop, English', words: en, caption: 'Our garden', options: { viewport: { width: 1280, height: 800 }, locale: 'en-US' } },
  { name: 'phone, Korean', words: ko, caption: '', options: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'ko-KR' } },
];

describe('photos, replies and reactions in a real browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** An access token as a program gets one (session: 'token'). */
  async function tokenOf(person: { email: string; password: string }): Promise<string> {
    const anonymous = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${stack.baseUrl}/trpc` })] });
    return (await anonymous.auth.login.mutate({ ...person, session: 'token' })).accessToken;
  }

  for (const run of runs) {
    it(`${run.name}: a photo, a reply and a reaction, each live on the other side`, { timeout: 180_000 }, async () => {
      const w = run.words;
      const shoot = async (page: Page, what: string) => {
        if (shots) await page.screenshot({ path: `${shots}/media-${w === en ? 'en' : 'ko'}-${what}.png` });
      };
      const ann = await apiPerson(stack.baseUrl, 'Ann');
      const ben = await apiPerson(stack.baseUrl, 'Ben');
      const cy = await apiPerson(stack.baseUrl, 'Cy');
      const room = await ben.client.rooms.openDirect.mutate({ userId: ann.user.id });
      await ben.client.messages.send.mutate({ roomId: room.id, body: 'Show me your garden?', clientId: crypto.randomUUID() });

      const a = await openPage(stack.browser, run.options);
      const b = await openPage(stack.browser, run.options);
      await logInThroughUi(a.page, stack.baseUrl, ann, w);
      await logInThroughUi(b.page, stack.baseUrl, ben, w);
      for (const [{ page }, other] of [
        [a, 'Ben'],
        [b, 'Ann'],
      ] as const) {
        await page.goto(`${stack.baseUrl}/rooms/${room.id}`);
        await page.getByRole('heading', { level: 1, name: other }).waitFor();
        await page.getByRole('status', { name: w.system.connection }).filter({ hasText: w.system.connected }).waitFor();
      }
      const logOf = (page: Page) => page.getByRole('log', { name: w.chat.messages });
      const item = (page: Page, text: string) => logOf(page).locator('li.message', { hasText: text });

      // ---- A photo: chosen, seen, sent with progress; it arrives live, sized before its bytes come ----
      // Something that is not a photo is refused before any upload.
      await a.page.getByLabel(w.chat.attachPhoto).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await a.page.getByRole('alert').filter({ hasText: w.errors.UNSUPPORTED_FILE }).waitFor();
      const preview = a.page.getByRole('dialog', { name: w.chat.attachPhoto });
      // On a slow connection (throttled here) sending shows its progress and can be stopped half-way.
      const cdp = await a.context.newCDPSession(a.page);
      const throttle = (bytesPerSecond: number) =>
        cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
      await throttle(16 * 1024);
      await a.page.getByLabel(w.chat.attachPhoto).setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: makePng(1600, 1200) });
      await preview.getByRole('button', { name: w.chat.send, exact: true }).click();
      await preview.getByRole('progressbar').waitFor();
      await shoot(a.page, 'uploading');
      await preview.getByRole('button', { name: w.chat.stopUpload }).click();
      await preview.getByText(w.chat.uploadStopped).waitFor();
      await preview.getByRole('button', { name: w.chat.cancel, exact: true }).click();
      await preview.waitFor({ state: 'detached' });
      await throttle(-1);

      await a.page.getByLabel(w.chat.attachPhoto).setInputFiles({ name: 'garden.png', mimeType: 'image/png', buffer: makePng(320, 200) });
      await preview.getByRole('img', { name: w.chat.photoPreview }).waitFor();
      if (run.caption) await preview.getByLabel(w.chat.caption).fill(run.caption);
      await expectNoAxeViolations(a.page, 'photo preview');
      await shoot(a.page, 'preview');
      await preview.getByRole('button', { name: w.chat.send, exact: true }).click();
      await preview.waitFor({ state: 'detached' });

      const alt = run.caption || say(w.chat.photoFrom, { name: 'Ann' });
      const openPhoto = b.page.getByRole('button', { name: say(w.chat.openPhoto, { alt }) });
      const thumb = logOf(b.page).locator(openPhoto);
      const box = await thumb.boundingBox();
      expect(box!.width / box!.height).toBeCloseTo(320 / 200, 1);
      const img = thumb.getByRole('img', { name: alt });
      await img.waitFor();
      await expect.poll(() => loaded(img)).toBe(true);
      expect(await thumb.boundingBox()).toEqual(box); // no jump when the picture came
      expect(await logOf(b.page).locator('.photo-thumb').count()).toBe(1); // the stopped one never arrived
      await expect.poll(() => loaded(logOf(a.page).locator('.photo-thumb img'))).toBe(true);
      // In the chat list (beside the chat on a desktop), a photo without words reads "Photo".
      if (!run.caption) {
        await b.page.getByRole('link', { name: w.chat.chats, exact: true }).click();
        await b.page.getByRole('link', { name: /^Ann/ }).filter({ hasText: w.chat.photo }).click();
        await b.page.getByRole('heading', { level: 1, name: 'Ann' }).waitFor();
      } else await b.page.getByRole('link', { name: /^Ann/ }).filter({ hasText: say(w.chat.photoWithCaption, { caption: run.caption }) }).waitFor();

      // The whole picture in a dialog; Escape closes it and focus goes back to the photo.
      await thumb.click();
      const full = b.page.getByRole('dialog').getByRole('img', { name: alt });
      await expect.poll(() => loaded(full)).toBe(true);
      await b.page.keyboard.press('Escape');
      expect(await b.page.getByRole('dialog').count()).toBe(0);
      expect(await focused(thumb)).toBe(true);

      // Only the room's members can load it: not without a token, not with a stranger's.
      const [message] = (await ben.client.messages.list.query({ roomId: room.id })).items;
      const url = `${stack.baseUrl}${message!.attachment!.url}`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${await tokenOf(cy)}` } })).status).toBe(404);
      expect((await fetch(url, { headers: { authorization: `Bearer ${await tokenOf(ben)}` } })).status).toBe(200);

      // ---- A reply: Ben answers the photo; the quote reaches Ann and takes her to the photo ----
      const photoItem = logOf(b.page).locator('li.message').filter({ has: openPhoto });
      await photoItem.locator('.message-menu-button').focus();
      await b.page.keyboard.press('Enter');
      await b.page.getByRole('menuitem', { name: w.chat.reply }).click();
      const box2 = b.page.getByLabel(w.chat.composerLabel, { exact: true });
      expect(await focused(box2)).toBe(true);
      const quoted = run.caption ? say(w.chat.photoWithCaption, { caption: run.caption }) : w.chat.photo;
      await b.page.getByText(say(w.chat.replyingTo, { name: 'Ann' })).waitFor();
      // Escape lets go of the reply; choosing Reply again brings it back.
      await box2.press('Escape');
      expect(await b.page.getByText(say(w.chat.replyingTo, { name: 'Ann' })).count()).toBe(0);
      await photoItem.locator('.message-menu-button').focus();
      await b.page.keyboard.press('Enter');
      await b.page.getByRole('menuitem', { name: w.chat.reply }).click();
      await box2.fill('What lovely flowers!');
      await box2.press('Enter');
      // The quote names whose photo it was: the same person on both pages.
      const quoteOf = (name: string, text: string) => `${w.chat.inReplyTo} ${name} ${text} ${w.chat.goToOriginal}`;
      const quote = quoteOf('Ann', quoted);
      await item(b.page, 'What lovely flowers!').getByRole('button', { name: quote }).waitFor();
      const replyOnA = item(a.page, 'What lovely flowers!');
      await replyOnA.getByRole('button', { name: quoteOf(w.chat.you, quoted) }).waitFor();
      // Choosing the quote goes to the photo, marked for a moment, with focus on it.
      await replyOnA.locator('.reply-quote').click();
      const photoOnA = logOf(a.page).locator('li.message').filter({ has: a.page.locator('.photo-thumb') });
      await expect.poll(() => photoOnA.evaluate((el) => el.classList.contains('reached') && el === document.activeElement)).toBe(true);

      // ---- A reaction: Ann gives ❤️ to the reply; Ben sees it at once and adds his ----
      await replyOnA.locator('.message-menu-button').focus();
      await a.page.keyboard.press('Enter');
      await a.page.getByRole('menuitem', { name: w.chat.react }).click();
      const picker = a.page.getByRole('menu', { name: w.chat.react });
      expect(await picker.getByRole('menuitemcheckbox').count()).toBe(6);
      await expectNoAxeViolations(a.page, 'reaction picker');
      await picker.getByRole('menuitemcheckbox', { name: w.chat.reactionNames.heart }).click();
      const heart = (page: Page, count: number, people: string) =>
        item(page, 'What lovely flowers!').getByRole('button', { name: say(w.chat.reactionChip, { emoji: '❤️', name: w.chat.reactionNames.heart, count, people }) });
      const heartOnB = heart(b.page, 1, 'Ann');
      await heartOnB.waitFor();
      expect(await heartOnB.getAttribute('aria-pressed')).toBe('false');
      expect(await heart(a.page, 1, w.chat.youInList).getAttribute('aria-pressed')).toBe('true');
      await heartOnB.click();
      const both = (first: string, second: string) => new Intl.ListFormat(w === en ? 'en' : 'ko', { type: 'conjunction' }).format([first, second]);
      await heart(a.page, 2, both(w.chat.youInList, 'Ben')).waitFor();
      expect(await heart(b.page, 2, both(w.chat.youInList, 'Ann')).getAttribute('aria-pressed')).toBe('true');

      // Every screen with a photo, a reply and reactions showing: nothing for axe to find.
      for (const [{ page }, who] of [
        [a, 'ann'],
        [b, 'ben'],
      ] as const) {
        await expectNoAxeViolations(page, `${run.name}: photo, reply and reactions (${who})`);
        await shoot(page, who);
      }

      // ---- Ann deletes the photo: Ben's quote of it says so at once ----
      await photoOnA.locator('.message-menu-button').focus();
      await a.page.keyboard.press('Enter');
      await a.page.getByRole('menuitem', { name: w.chat.delete }).click();
      await a.page.getByRole('button', { name: w.chat.deleteYes }).click();
      await item(b.page, 'What lovely flowers!').getByRole('button', { name: quoteOf('Ann', w.chat.deletedQuote) }).waitFor();
      expect(await logOf(b.page).locator('.photo-thumb').count()).toBe(0);

      for (const watched of [a, b]) expect(watched.problems, stack.api.output()).toEqual([]);
      await a.context.close();
      await b.context.close();
    });
  }
});
