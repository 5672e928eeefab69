import type { User } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { createI18n, LANGUAGES } from '../../lib/i18n.ts';
import { problemMessage } from '../../lib/problems.ts';
import { ann, bo, room } from './chat.fixtures.ts';
import { clockTime, dayLabel, formerSenders, nicknameOf, notSentMessage, photoAlt, preview, quoteText, roomTitle, shortTime, summary, typingText } from './chat.format.ts';

describe('date lines and message times', () => {
  it('names the whole day in the person’s language', () => {
    const iso = new Date(2026, 11, 1, 15, 4).toISOString();
    expect(dayLabel(iso, 'ko')).toBe('2026년 12월 1일 화요일');
    expect(dayLabel(iso, 'en')).toBe('Tuesday, December 1, 2026');
    expect(dayLabel('not a date', 'en')).toBe('');
  });

  it('gives a message only its time of day, whatever day it was', () => {
    const iso = new Date(2020, 0, 3, 15, 4).toISOString();
    expect(clockTime(iso, 'en')).toBe('3:04 PM');
    expect(clockTime(iso, 'ko')).toContain('3:04');
  });
});

describe('preview (what a notification shows)', () => {
  it('keeps short messages whole, on one line', () => {
    expect(preview('Hello\n\nthere  ')).toBe('Hello there');
  });

  it('cuts at 80 characters as people count them, never inside a Korean syllable or an emoji', () => {
    expect(preview('a'.repeat(81))).toBe(`${'a'.repeat(80)}…`);
    expect(preview('a'.repeat(80))).toBe('a'.repeat(80));
    const korean = '안녕하세요'.repeat(20); // 100 syllables
    expect(preview(korean)).toBe(`${korean.slice(0, 80)}…`);
    const family = '👨‍👩‍👧'; // one grapheme, several code points
    expect(preview(family.repeat(81))).toBe(`${family.repeat(80)}…`);
  });
});

describe('typing', () => {
  it('says it in words', () => {
    const { t } = createI18n('en');
    expect(typingText([], t)).toBeNull();
    expect(typingText(['Bo'], t)).toBe('Bo is typing…');
    expect(typingText(['Bo', 'Cy'], t)).toBe('Bo and Cy are typing…');
    expect(typingText(['Bo', 'Cy', 'Di'], t)).toBe('Several people are typing…');
    expect(typingText(['보람'], createI18n('ko').t)).toBe('보람님이 입력하고 있어요…');
  });
});

describe('shortTime', () => {
  const now = new Date(2030, 5, 15, 18, 0);
  it('the time today, the date this year, the full date before', () => {
    expect(shortTime(new Date(2030, 5, 15, 9, 5).toISOString(), 'en', now)).toMatch(/^9:05\sAM$/);
    expect(shortTime(new Date(2030, 0, 3, 9, 5).toISOString(), 'en', now)).toBe('Jan 3');
    expect(shortTime(new Date(2029, 0, 3, 9, 5).toISOString(), 'en', now)).toBe('Jan 3, 2029');
    expect(shortTime('not a date', 'en', now)).toBe('');
  });
});

describe('roomTitle', () => {
  const t = createI18n('en').t;

  it('is the room’s name, or says the other person left when a 1:1 room has none', () => {
    expect(roomTitle({ name: 'Family' }, t)).toBe('Family');
    expect(roomTitle({ name: '' }, t)).toBe('Someone who left');
  });
});

describe('nicknameOf', () => {
  const t = createI18n('en').t;

  it('names a sender by their nickname, a deleted account as such, and someone no longer in the room vaguely', () => {
    const r = room('r1', 'group', [ann, { ...bo, nickname: '', deleted: true }]);
    expect(nicknameOf(r, ann.id, t)).toBe('Ann');
    expect(nicknameOf(r, bo.id, t)).toBe('Deleted user');
    expect(nicknameOf(r, 'u-gone', t)).toBe('Someone who left');
  });

  it('keeps a former member’s name once their profile answered (left, blocked me, or deleted as such)', () => {
    const r = room('r1', 'group', [ann]);
    const former = new Map<string, User>([
      ['u-gone', { ...bo, id: 'u-gone', nickname: '', deleted: true }],
      ['u-left', { ...bo, id: 'u-left', nickname: 'Bo' }],
    ]);
    expect(nicknameOf(r, 'u-gone', t, former)).toBe('Deleted user');
    expect(nicknameOf(r, 'u-left', t, former)).toBe('Bo');
    expect(nicknameOf(r, 'u-unknown', t, former)).toBe('Someone who left');
    expect(formerSenders(room('r2', 'group', [ann, bo]), [ann.id, 'u-gone', bo.id, 'u-gone', 'u-left'])).toEqual(['u-gone', 'u-left']);
  });
});

describe('notSentMessage (why one of my messages did not go)', () => {
  for (const language of LANGUAGES) {
    it(`${language}: speaks of the chat where the general sentence speaks of forms or files, else says the same`, () => {
      const { t } = createI18n(language);
      for (const code of ['BAD_INPUT', 'PAYLOAD_TOO_LARGE', 'FORBIDDEN'] as const) {
        expect(notSentMessage(t, { code }), code).not.toBe(problemMessage(t, { code }));
        expect(notSentMessage(t, { code }), code).not.toMatch(/chat\.|[A-Z]{3,}_[A-Z]/);
      }
      for (const code of ['NETWORK', 'BLOCKED', 'SERVICE_UNAVAILABLE'] as const) {
        expect(notSentMessage(t, { code }), code).toBe(problemMessage(t, { code }));
      }
      expect(notSentMessage(t, { code: 'RATE_LIMITED', retryAfterMs: 7_000 })).toContain('7');
    });
  }
});

describe('photos and quotes in words', () => {
  const photo = { kind: 'image' as const, url: '/files/p', thumbUrl: '/files/t', width: 4, height: 3 };
  const t = createI18n('en').t;
  const ko = createI18n('ko').t;

  it('a photo without words is "Photo" in the chat list; with words, both', () => {
    expect(summary({ body: '', attachment: photo, deletedAt: null }, t)).toBe('Photo');
    expect(summary({ body: '', attachment: photo, deletedAt: null }, ko)).toBe('사진');
    expect(summary({ body: 'Our garden', attachment: photo, deletedAt: null }, t)).toBe('Photo: Our garden');
    expect(summary({ body: 'hi', attachment: null, deletedAt: null }, t)).toBe('hi');
    expect(summary({ body: '', attachment: null, deletedAt: '2030-01-01T00:00:00.000Z' }, t)).toBe('This message was deleted');
  });

  it('a quote says what the answered message is now', () => {
    expect(quoteText({ snippet: 'Lunch?', deleted: false, photo: false }, t)).toBe('Lunch?');
    expect(quoteText({ snippet: '', deleted: true, photo: false }, t)).toBe('Deleted message');
    expect(quoteText({ snippet: '', deleted: true, photo: false }, ko)).toBe('삭제된 메시지입니다');
    expect(quoteText({ snippet: '', deleted: false, photo: true }, ko)).toBe('사진');
    expect(quoteText({ snippet: 'Us', deleted: false, photo: true }, t)).toBe('Photo: Us');
  });

  it('a photo’s text alternative is its caption, or whose photo it is', () => {
    expect(photoAlt('Our garden', 'Bo', t)).toBe('Our garden');
    expect(photoAlt('', 'Bo', t)).toBe('Photo from Bo');
    expect(photoAlt('', 'Bo', ko)).toBe('Bo님이 보낸 사진');
    expect(photoAlt(' ', null, t)).toBe('Your photo');
  });
});
