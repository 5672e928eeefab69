import { LIMITS, type Message, type MessagePage, type ReplyQuote } from '@youngchat/shared';
import type { Problem } from '../../lib/problems.ts';

/** One room's history as TanStack's infinite query keeps it: page 0 is the newest, each page newest first. */
export interface History {
  pages: MessagePage[];
  pageParams: unknown[];
}

/** A message the person wrote that the server has not confirmed yet (or refused). */
export interface OutgoingMessage {
  clientId: string;
  roomId: string;
  body: string;
  createdAt: string;
  /** Waiting: sent while offline, it goes by itself once the connection is back. */
  status: 'sending' | 'waiting' | 'failed';
  /** The message it answers, as it was quoted when written (the server's quote replaces it once sent). */
  replyTo?: ReplyQuote;
  /** Failed (or waiting) only: why, as the answer said; not kept for "signed out" (the auth layer's), nor a passing one over a reload. */
  problem?: SendProblem;
}

export type SendProblem = Pick<Problem, 'code' | 'retryAfterMs'>;

export type DeliveryStatus = 'sending' | 'waiting' | 'sent' | 'failed';

/** What the chat view draws, oldest first. */
export interface ShownMessage extends Omit<Message, 'id' | 'seq' | 'roomId'> {
  /**
   * Stable across the optimistic copy turning into the real one (my messages are keyed by clientId), so the row
   * is updated in place and keeps focus instead of being replaced.
   */
  key: string;
  /** Null until the server has confirmed an optimistic copy. */
  id: string | null;
  seq: number | null;
  /** Only on my own messages. */
  status: DeliveryStatus | null;
  /** Only on my messages that failed, when it is known why. */
  problem?: SendProblem;
}

/** Of two copies of one message, the one that knows more: deleted beats edited beats original. */
export function fresher(a: Message, b: Message): Message {
  if (a.deletedAt || b.deletedAt) return a.deletedAt ? a : b;
  if ((a.editedAt ?? '') !== (b.editedAt ?? '')) return (a.editedAt ?? '') > (b.editedAt ?? '') ? a : b;
  // Same version: the later copy carries the later unread count (reads only ever lower it).
  return b.unreadCount <= a.unreadCount ? b : a;
}

function find(history: History, messageId: string): { page: number; index: number } | null {
  for (let page = 0; page < history.pages.length; page++) {
    const index = history.pages[page]!.items.findIndex((m) => m.id === messageId);
    if (index >= 0) return { page, index };
  }
  return null;
}

export function messageById(history: History, messageId: string): Message | undefined {
  const at = find(history, messageId);
  return at ? history.pages[at.page]!.items[at.index] : undefined;
}

/** Replaces one message (by id) wherever it is; the same object when it is not there. */
export function replaceMessage(history: History, messageId: string, change: (m: Message) => Message): History {
  const at = find(history, messageId);
  if (!at) return history;
  const pages = history.pages.slice();
  const items = pages[at.page]!.items.slice();
  items[at.index] = change(items[at.index]!);
  pages[at.page] = { ...pages[at.page]!, items };
  return { ...history, pages };
}

/**
 * Replies quote their original as it is now: once it is edited or deleted, every loaded quote of it follows at
 * once, as a fresh page would show it (the server sends no event for the replies themselves).
 */
export function requote(history: History, original: Pick<Message, 'id' | 'body' | 'deletedAt'>): History {
  let changed = false;
  const pages = history.pages.map((page) => {
    let items = page.items;
    items.forEach((m, i) => {
      if (m.replyTo?.id !== original.id) return;
      const deleted = original.deletedAt !== null;
      const snippet = deleted ? '' : original.body.slice(0, LIMITS.replySnippetChars);
      if (m.replyTo.deleted === deleted && m.replyTo.snippet === snippet) return;
      if (items === page.items) items = items.slice();
      items[i] = { ...m, replyTo: { ...m.replyTo, snippet, deleted, photo: !deleted && m.replyTo.photo } };
    });
    if (items === page.items) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...history, pages } : history;
}

/**
 * Puts a message that arrived live (or the answer to my send) into the history, once. A message older than
 * everything loaded while more history remains is left out: it will come with its page when the person scrolls
 * up, and adding it now would leave a hole between it and the loaded part.
 */
export function upsertMessage(history: History, message: Message): History {
  if (find(history, message.id)) return replaceMessage(history, message.id, (old) => fresher(old, message));
  const first = history.pages[0];
  if (!first) return { pages: [{ items: [message], nextCursor: null }], pageParams: [null] };
  const last = history.pages.at(-1)!;
  const oldest = last.items.at(-1);
  if (last.nextCursor !== null && oldest && message.seq < oldest.seq) return history;
  const pages = history.pages.slice();
  const items = [...first.items, message].sort((a, b) => b.seq - a.seq);
  pages[0] = { ...first, items };
  return { ...history, pages };
}

/**
 * The list to draw: every loaded message once (by id, the freshest copy), in seq order, then my messages still
 * on their way. A sent message is recognised by its clientId, so its optimistic copy disappears the moment the
 * real one is here — whichever came first, the send's answer or the live event.
 */
export function mergeMessages(pages: readonly MessagePage[] | undefined, outgoing: readonly OutgoingMessage[], me: string): ShownMessage[] {
  const byId = new Map<string, Message>();
  for (const page of pages ?? []) {
    for (const message of page.items) {
      const seen = byId.get(message.id);
      byId.set(message.id, seen ? fresher(seen, message) : message);
    }
  }
  const confirmed = [...byId.values()].sort((a, b) => a.seq - b.seq);
  const mine = new Set(confirmed.filter((m) => m.senderId === me).map((m) => m.clientId));
  const shown: ShownMessage[] = confirmed.map((m) => ({
    key: m.senderId === me ? `c:${m.clientId}` : `m:${m.id}`,
    id: m.id,
    seq: m.seq,
    senderId: m.senderId,
    body: m.body,
    clientId: m.clientId,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    deletedAt: m.deletedAt,
    unreadCount: m.unreadCount,
    replyTo: m.replyTo,
    attachment: m.attachment,
    reactions: m.reactions,
    status: m.senderId === me ? 'sent' : null,
  }));
  const waiting = outgoing
    .filter((o) => !mine.has(o.clientId))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  for (const o of waiting) {
    shown.push({
      key: `c:${o.clientId}`,
      id: null,
      seq: null,
      senderId: me,
      body: o.body,
      clientId: o.clientId,
      createdAt: o.createdAt,
      editedAt: null,
      deletedAt: null,
      unreadCount: 0,
      replyTo: o.replyTo ?? null,
      attachment: null,
      reactions: [],
      status: o.status,
      problem: o.problem,
    });
  }
  return shown;
}

/** How a reply being written quotes the message it answers (the server's own quote replaces it once sent). */
export function quoteOf(message: Pick<ShownMessage, 'id' | 'senderId' | 'body' | 'attachment'> & { id: string }): ReplyQuote {
  return {
    id: message.id,
    senderId: message.senderId,
    snippet: message.body.slice(0, LIMITS.replySnippetChars),
    deleted: false,
    photo: message.attachment !== null,
  };
}

/** The newest confirmed seq in a history (what "read up to here" means), or 0. */
export function newestSeq(pages: readonly MessagePage[] | undefined): number {
  let newest = 0;
  for (const page of pages ?? []) for (const m of page.items) if (m.seq > newest) newest = m.seq;
  return newest;
}
