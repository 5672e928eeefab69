import type { ShownMessage } from './chat.history.ts';

/** What the conversation draws, in order: a line per day, the "new messages" line, and the messages. */
export type LogRow =
  | { kind: 'day'; key: string; date: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: ShownMessage; firstOfRun: boolean };

/** Messages closer together than this, from one person, read as one turn: their picture and name show once. */
export const RUN_GAP_MS = 5 * 60_000;

const dayOf = (iso: string) => new Date(iso).toDateString();

/**
 * Date lines between days, the "new messages" line before `firstUnread`, and whether each message starts a turn
 * (another sender, another day, a pause, or right after one of the lines).
 */
export function layoutMessages(messages: readonly ShownMessage[], firstUnread: string | null): LogRow[] {
  const rows: LogRow[] = [];
  let previous: ShownMessage | undefined;
  // Each message's day and time worked out once (the whole loaded history is laid out again when a page comes).
  let previousDay = '';
  let previousAt = 0;
  for (const message of messages) {
    const day = dayOf(message.createdAt);
    const at = Date.parse(message.createdAt);
    const newDay = !previous || previousDay !== day;
    if (newDay) rows.push({ kind: 'day', key: `day:${day}`, date: message.createdAt });
    const unreadLine = message.key === firstUnread;
    if (unreadLine) rows.push({ kind: 'unread', key: 'unread' });
    const pause = previous !== undefined && at - previousAt > RUN_GAP_MS;
    const firstOfRun = newDay || unreadLine || pause || previous?.senderId !== message.senderId;
    rows.push({ kind: 'message', key: message.key, message, firstOfRun });
    previous = message;
    previousDay = day;
    previousAt = at;
  }
  return rows;
}

/**
 * Where "new messages" starts when a room opens with `unread` unread: the oldest of the last `unread` messages
 * from others (what the count counts). Null when nothing is unread or that message is not loaded.
 */
export function firstUnreadKey(messages: readonly ShownMessage[], me: string, unread: number): string | null {
  if (unread <= 0) return null;
  const fromOthers = messages.filter((m) => m.senderId !== me && m.seq !== null);
  return fromOthers.length >= unread ? fromOthers[fromOthers.length - unread]!.key : null;
}
