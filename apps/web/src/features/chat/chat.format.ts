import type { TFunction } from 'i18next';
import type { Message, ReplyQuote, Room, User } from '@youngchat/shared';
import { problemMessage } from '../../lib/problems.ts';
import { displayName } from '../../ui/display-name.ts';
import type { SendProblem } from './chat.history.ts';

const STYLES = {
  clock: { hour: 'numeric', minute: '2-digit' },
  monthDay: { month: 'short', day: 'numeric' },
  date: { dateStyle: 'medium' },
  day: { dateStyle: 'full' },
  long: { dateStyle: 'full', timeStyle: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per language and style, made once: making one costs far more than using it, and the conversation
 * formats two times for every message it draws, each time it draws them.
 */
function dateFormat(language: string, style: keyof typeof STYLES): Intl.DateTimeFormat {
  const key = `${style} ${language}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, STYLES[style]);
    formats.set(key, format);
  }
  return format;
}

/** "14:05" today, "3 Jan" this year, "3 Jan 2029" before: as short as still clear, in the person's language. */
export function shortTime(iso: string, language: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  if (sameDay) return dateFormat(language, 'clock').format(date);
  const sameYear = date.getFullYear() === now.getFullYear();
  return dateFormat(language, sameYear ? 'monthDay' : 'date').format(date);
}

/** A date line between days: "2026년 12월 1일 화요일", "Tuesday, December 1, 2026". */
export function dayLabel(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return dateFormat(language, 'day').format(date);
}

/** The time of day alone: the date line above the message says which day. */
export function clockTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return dateFormat(language, 'clock').format(date);
}

/** The full date and time, for a tooltip and screen readers. */
export function longTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return dateFormat(language, 'long').format(date);
}

/**
 * Who sent a message: a member by name; a former member (left, blocked me, or deleted their account) by what
 * their profile says (`former`: see useFormerSenders), and only vaguely until it has answered.
 */
export function senderOf(room: Pick<Room, 'members'> | undefined, userId: string, former: ReadonlyMap<string, User> = new Map()): User | null {
  return room?.members.find((m) => m.id === userId) ?? former.get(userId) ?? null;
}

export function nicknameOf(
  room: Pick<Room, 'members'> | undefined,
  userId: string,
  t: TFunction,
  former: ReadonlyMap<string, User> = new Map(),
): string {
  const person = senderOf(room, userId, former);
  return person ? displayName(person, t) : t('chat.someone');
}

/** Those of `senderIds` no longer in the room: they left, or deleted their account. */
export function formerSenders(room: Pick<Room, 'members'>, senderIds: Iterable<string>): string[] {
  const members = new Set(room.members.map((m) => m.id));
  return [...new Set(senderIds)].filter((id) => !members.has(id));
}

/** A 1:1 room is named after the other person, and has no name once they have left it (or blocked me). */
export function roomTitle(room: Pick<Room, 'name'>, t: TFunction): string {
  return room.name.trim() ? room.name : t('chat.someone');
}

/** Everyone but me: the people a room is "with". */
export function othersIn(room: Pick<Room, 'members'>, me: string): User[] {
  return room.members.filter((m) => m.id !== me);
}

export function typingText(names: readonly string[], t: TFunction): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return t('chat.typingOne', { name: names[0] });
  if (names.length === 2) return t('chat.typingTwo', { first: names[0], second: names[1] });
  return t('chat.typingMany');
}

/** What a notification shows of a message. */
export const PREVIEW_CHARS = 80;

let graphemeSegmenter: Intl.Segmenter | undefined;

/** The first `max` characters as people count them (a Korean syllable or an emoji is one), with "…" if cut. */
export function preview(body: string, max = PREVIEW_CHARS): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const graphemes = [...graphemeSegmenter.segment(flat)].map((s) => s.segment);
  return graphemes.length <= max ? flat : `${graphemes.slice(0, max).join('').trimEnd()}…`;
}

/**
 * What a message says in one line (the chat list, a menu button's name): a photo is "Photo", with its caption if
 * it has one, since its words alone would not say a picture came.
 */
export function summary(message: Pick<Message, 'body' | 'attachment' | 'deletedAt'>, t: TFunction): string {
  if (message.deletedAt) return t('chat.deleted');
  if (!message.attachment) return message.body;
  return message.body.trim() ? t('chat.photoWithCaption', { caption: message.body }) : t('chat.photo');
}

/** What a reply's quote says of the message it answers, as that message is now. */
export function quoteText(quote: Pick<ReplyQuote, 'snippet' | 'deleted' | 'photo'>, t: TFunction): string {
  if (quote.deleted) return t('chat.deletedQuote');
  if (!quote.photo) return preview(quote.snippet);
  return quote.snippet.trim() ? t('chat.photoWithCaption', { caption: preview(quote.snippet) }) : t('chat.photo');
}

/** A photo's text alternative: its caption, or whose photo it is. */
export function photoAlt(caption: string, sender: string | null, t: TFunction): string {
  if (caption.trim()) return preview(caption, 150);
  return sender === null ? t('chat.yourPhoto') : t('chat.photoFrom', { name: sender });
}

/** Why one of my messages was not sent, in the person's words. */
export function notSentMessage(t: TFunction, problem: SendProblem): string {
  switch (problem.code) {
    // Their general sentences speak of things not on a chat screen (marked boxes, a file), or too vaguely.
    case 'BAD_INPUT':
    case 'PAYLOAD_TOO_LARGE':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
      return t(`chat.notSent.${problem.code}`);
    default:
      return problemMessage(t, problem);
  }
}
