import { describe, expect, it } from 'vitest';
import type { ShownMessage } from './chat.history.ts';
import { firstUnreadKey, layoutMessages } from './chat.layout.ts';

let seq = 0;
function message(senderId: string, createdAt: string): ShownMessage {
  seq++;
  return {
    key: `m:${seq}`,
    id: String(seq),
    seq,
    senderId,
    body: `message ${seq}`,
    clientId: `c${seq}`,
    createdAt,
    editedAt: null,
    deletedAt: null,
    unreadCount: 0,
    status: null,
  } as ShownMessage;
}

describe('layoutMessages', () => {
  it('puts a date line before the first message of each day', () => {
    const a = message('ann', '2026-12-01T09:00:00');
    const b = message('ann', '2026-12-01T21:00:00');
    const c = message('bob', '2026-12-02T08:00:00');
    const rows = layoutMessages([a, b, c], null);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'message', 'message', 'day', 'message']);
    expect(rows[3]).toMatchObject({ kind: 'day', date: c.createdAt });
  });

  it('groups one person’s messages close together; another sender, a pause or a new day starts a new turn', () => {
    const rows = layoutMessages(
      [
        message('ann', '2026-12-01T09:00:00'),
        message('ann', '2026-12-01T09:01:00'),
        message('bob', '2026-12-01T09:02:00'),
        message('bob', '2026-12-01T09:30:00'),
        message('bob', '2026-12-02T09:31:00'),
      ],
      null,
    );
    const firsts = rows.flatMap((r) => (r.kind === 'message' ? [r.firstOfRun] : []));
    expect(firsts).toEqual([true, false, true, true, true]);
  });

  it('draws the new-messages line once, before the first unread, and starts a turn there', () => {
    const a = message('bob', '2026-12-01T09:00:00');
    const b = message('bob', '2026-12-01T09:00:30');
    const rows = layoutMessages([a, b], b.key);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'message', 'unread', 'message']);
    expect(rows[3]).toMatchObject({ firstOfRun: true });
  });
});

describe('firstUnreadKey', () => {
  it('is the oldest of the last n messages from others, skipping mine', () => {
    const list = [message('bob', '2026-12-01T09:00:00'), message('bob', '2026-12-01T09:01:00'), message('me', '2026-12-01T09:02:00'), message('bob', '2026-12-01T09:03:00')];
    expect(firstUnreadKey(list, 'me', 2)).toBe(list[1]!.key);
    expect(firstUnreadKey(list, 'me', 0)).toBeNull();
    expect(firstUnreadKey(list, 'me', 5)).toBeNull(); // not loaded: no line rather than a wrong one
  });
});
