import { isAppCode, type Message } from '@youngchat/shared';
import { isRetryable, toProblem, type Problem } from '../../lib/problems.ts';
import type { OutgoingMessage, SendProblem } from './chat.history.ts';
import { browserStorage, type StorageLike } from './chat.drafts.ts';

/**
 * Messages on their way, per account, kept in localStorage like drafts. One written while offline (no answer at
 * all) waits, saying it will go once connected, and is sent again by itself exactly once when the connection is
 * back; only if that fails too is it marked "not sent", with Retry. Every try reuses its clientId, so the server
 * never stores it twice even if an earlier try did arrive. A message written just before a reload is still there
 * afterwards, marked "not sent", with Retry. One refused for good (no longer in the room, blocked) says why and
 * offers only Remove.
 */
const PREFIX = 'youngchat.outbox.';
const EMPTY: readonly OutgoingMessage[] = [];

/** How a message leaves: the API call, and what to do with the stored message it answers with. */
export interface Delivery {
  send(input: { roomId: string; body: string; clientId: string; replyToId?: string }): Promise<Message>;
  /** Resolves once the message is in the history, so the outbox copy goes only then (no flicker between the two). */
  sent(message: Message): void | Promise<void>;
}

/**
 * What a try that got no answer at all leads to: the person's own send (or Retry) waits for the connection; the one
 * automatic resend when it is back does not wait again, it fails and offers Retry.
 */
type Try = 'by-hand' | 'by-itself';

export class Outbox {
  private items: OutgoingMessage[];
  private byRoom = new Map<string, readonly OutgoingMessage[]>();
  private listeners = new Set<() => void>();

  constructor(
    readonly userId: string,
    private readonly storage: StorageLike | null = browserStorage(),
  ) {
    // Whatever was "sending" or "waiting" when the page went away did not get an answer here: offer Retry. Only a
    // lasting reason is kept: a passing one (offline) may be long over, and whether an old message still fits the
    // conversation is for the person to say, so nothing from before a reload is resent by itself.
    this.items = this.read().map(({ problem, ...item }) => ({
      ...item,
      status: 'failed' as const,
      ...(isSendProblem(problem) && !isRetryable(problem.code) ? { problem: { code: problem.code } } : {}),
    }));
  }

  private read(): OutgoingMessage[] {
    try {
      const raw = this.storage?.getItem(PREFIX + this.userId);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(isOutgoing) : [];
    } catch {
      return [];
    }
  }

  private write(): void {
    try {
      if (this.items.length) this.storage?.setItem(PREFIX + this.userId, JSON.stringify(this.items));
      else this.storage?.removeItem(PREFIX + this.userId);
    } catch {
      // kept in memory for this visit
    }
  }

  private changed(): void {
    this.byRoom.clear();
    this.write();
    for (const listener of this.listeners) listener();
  }

  /** The same array until something in the room changes (useSyncExternalStore compares with Object.is). */
  inRoom(roomId: string): readonly OutgoingMessage[] {
    let list = this.byRoom.get(roomId);
    if (!list) {
      const found = this.items.filter((i) => i.roomId === roomId);
      list = found.length ? found : EMPTY;
      this.byRoom.set(roomId, list);
    }
    return list;
  }

  get(clientId: string): OutgoingMessage | undefined {
    return this.items.find((i) => i.clientId === clientId);
  }

  put(item: OutgoingMessage): void {
    this.items = [...this.items.filter((i) => i.clientId !== item.clientId), item];
    this.changed();
  }

  /**
   * Sends (or re-sends) a message the person sent or retried. The clientId stays the same across tries: if an
   * earlier one reached the server and only its answer was lost, the server returns that message instead of
   * storing another. Without any answer (offline) it waits for the connection (see resendWaiting).
   */
  send(item: OutgoingMessage, delivery: Delivery): Promise<void> {
    return this.try(item, delivery, 'by-hand');
  }

  private async try(item: OutgoingMessage, delivery: Delivery, how: Try): Promise<void> {
    const { clientId, roomId, body, createdAt, replyTo } = item;
    this.put({ clientId, roomId, body, createdAt, ...(replyTo ? { replyTo } : {}), status: 'sending' });
    try {
      const message = await delivery.send({ roomId, body, clientId, ...(replyTo ? { replyToId: replyTo.id } : {}) });
      await delivery.sent(message);
      this.remove(clientId);
    } catch (error) {
      this.fail(clientId, toProblem(error), how);
    }
  }

  /**
   * Once the connection is back: sends what waited for it, oldest first and one at a time so they arrive in the
   * order written. Each goes by itself once; if that fails too, it is "not sent" with Retry.
   */
  async resendWaiting(delivery: Delivery): Promise<void> {
    const due = this.items.filter(isWaiting).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    for (const { clientId } of due) {
      // Removed meanwhile: not this one.
      const item = this.get(clientId);
      if (item && isWaiting(item)) await this.try(item, delivery, 'by-itself');
    }
  }

  private fail(clientId: string, problem: Problem, how: Try): void {
    // Removed while on its way: nothing to show.
    if (!this.get(clientId)) return;
    // Signed out: the auth layer takes the person to log in again, and then the same message can go with Retry.
    const signedOut = problem.code === 'UNAUTHORIZED' || problem.code === 'SESSION_EXPIRED';
    const why: SendProblem | undefined = signedOut ? undefined : { code: problem.code, retryAfterMs: problem.retryAfterMs };
    // No answer at all: the connection is gone, so the person's message waits for it rather than asking for Retry.
    // A server that answered (busy, rate limited, refused) says so now: nothing may tell us when to try again.
    const status = problem.code === 'NETWORK' && how === 'by-hand' ? 'waiting' : 'failed';
    this.items = this.items.map((i) => (i.clientId === clientId ? { ...i, status, problem: why } : i));
    this.changed();
  }

  remove(clientId: string): void {
    if (!this.items.some((i) => i.clientId === clientId)) return;
    this.items = this.items.filter((i) => i.clientId !== clientId);
    this.changed();
  }

  /** Drops what the server has confirmed (a send answered after a reload, found in the history). */
  confirm(clientIds: Iterable<string>): void {
    const done = new Set(clientIds);
    if (!this.items.some((i) => done.has(i.clientId))) return;
    this.items = this.items.filter((i) => !done.has(i.clientId));
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** On logout. */
  clear(): void {
    this.items = [];
    this.changed();
  }
}

const isWaiting = (item: OutgoingMessage) => item.status === 'waiting';

function isOutgoing(value: unknown): value is OutgoingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const quote = v.replyTo as Record<string, unknown> | null | undefined;
  const replyOk = quote === undefined || (typeof quote === 'object' && quote !== null && typeof quote.id === 'string' && typeof quote.snippet === 'string');
  return typeof v.clientId === 'string' && typeof v.roomId === 'string' && typeof v.body === 'string' && typeof v.createdAt === 'string' && replyOk;
}

/** A reason read back from storage; an unreadable one is dropped, never the message. */
function isSendProblem(value: unknown): value is SendProblem {
  const code = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).code : undefined;
  return code === 'NETWORK' || isAppCode(code);
}

/**
 * A clientId for a new message. crypto.randomUUID exists only on secure origins; getRandomValues everywhere, so
 * a plain-http LAN address still works.
 */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
