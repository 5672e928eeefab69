import type { Message } from '@youngchat/shared';
import { describe, expect, it, vi } from 'vitest';
import { memoryStorage, message } from './chat.fixtures.ts';
import type { OutgoingMessage } from './chat.history.ts';
import { newClientId, Outbox, type Delivery } from './chat.outbox.ts';

const item = (clientId: string, roomId = 'r1', createdAt = '2030-01-01T00:00:00.000Z'): OutgoingMessage => ({
  clientId,
  roomId,
  body: `body ${clientId}`,
  createdAt,
  status: 'sending',
});

/** What a tRPC call rejects with: the API's answer, or nothing at all. */
const refused = (appCode: string, extra: Record<string, unknown> = {}) => ({ message: 'x', data: { appCode, ...extra } });
const offline = new TypeError('Failed to fetch');

/** Sends that answer with `answer`, counting how many were on their way at once. */
function deliveries(answer: (clientId: string) => Promise<Message>) {
  const sends: string[] = [];
  const stored: string[] = [];
  let inFlight = 0;
  let mostAtOnce = 0;
  const delivery: Delivery = {
    send: async ({ clientId }) => {
      sends.push(clientId);
      mostAtOnce = Math.max(mostAtOnce, ++inFlight);
      try {
        await Promise.resolve();
        return await answer(clientId);
      } finally {
        inFlight--;
      }
    },
    sent: (m) => void stored.push(m.clientId),
  };
  return { delivery, sends, stored, mostAtOnce: () => mostAtOnce };
}
const failing = (error: unknown) => deliveries(() => Promise.reject(error)).delivery;
const answering = () => deliveries((clientId) => Promise.resolve(message('r1', 1, 'ann', { clientId })));

describe('Outbox', () => {
  it('keeps its copy until the sent message is in the history, so the message never vanishes in between', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    let stored!: () => void;
    const delivery: Delivery = {
      send: async ({ clientId }) => message('r1', 1, 'ann', { clientId }),
      // The history is busy (a fetch being cancelled): the message goes in a moment later.
      sent: () => new Promise<void>((resolve) => (stored = resolve)),
    };
    const sending = outbox.send(item('a'), delivery);
    await vi.waitFor(() => expect(stored).toBeTypeOf('function'));
    expect(outbox.inRoom('r1')).toHaveLength(1);
    stored();
    await sending;
    expect(outbox.inRoom('r1')).toEqual([]);
  });

  it('keeps unsent messages across a reload, offering Retry for those that were on their way', async () => {
    const storage = memoryStorage();
    const before = new Outbox('ann', storage);
    before.put(item('a'));
    await before.send(item('b', 'r2'), failing(offline));
    await before.send(item('c', 'r2'), failing(refused('FORBIDDEN')));

    const after = new Outbox('ann', storage);
    expect(after.inRoom('r1')).toEqual([{ ...item('a'), status: 'failed' }]);
    // A lasting reason is kept; a passing one is not, so nothing from before the reload goes again by itself.
    expect(after.inRoom('r2')).toEqual([
      { ...item('b', 'r2'), status: 'failed' },
      { ...item('c', 'r2'), status: 'failed', problem: { code: 'FORBIDDEN' } },
    ]);
    const d = answering();
    await after.resendWaiting(d.delivery);
    expect(d.sends).toEqual([]);
    expect(new Outbox('bo', storage).inRoom('r1')).toEqual([]); // per account
  });

  it('sends, hands the stored message over, and forgets its copy', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    const d = answering();
    const sending = outbox.send(item('a'), d.delivery);
    expect(outbox.get('a')?.status).toBe('sending');
    await sending;
    expect(d.stored).toEqual(['a']);
    expect(outbox.inRoom('r1')).toEqual([]);
  });

  it('a reply names the message it answers on every try, and shows its quote while on its way', async () => {
    const outbox = new Outbox('u1', memoryStorage());
    const inputs: unknown[] = [];
    const quote = { id: 'm-9', senderId: 'u2', snippet: 'Lunch?', deleted: false, photo: false };
    const delivery: Delivery = {
      send: (input) => {
        inputs.push(input);
        return Promise.reject(new TypeError('Failed to fetch'));
      },
      sent: () => undefined,
    };
    await outbox.send({ ...item('c1'), replyTo: quote }, delivery);
    expect(outbox.get('c1')).toMatchObject({ status: 'waiting', replyTo: quote });
    await outbox.send(outbox.get('c1')!, delivery);
    expect(inputs).toEqual([
      { roomId: 'r1', body: 'body c1', clientId: 'c1', replyToId: 'm-9' },
      { roomId: 'r1', body: 'body c1', clientId: 'c1', replyToId: 'm-9' },
    ]);
  });

  it('a message refused for good says why and is never sent again by itself', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    await outbox.send(item('a'), failing(refused('FORBIDDEN')));
    await outbox.send(item('b'), failing(refused('BAD_INPUT', { issues: [{ path: 'body', message: 'x' }] })));
    await outbox.send(item('c'), failing(refused('BLOCKED')));
    expect(outbox.inRoom('r1').map((i) => [i.clientId, i.status, i.problem?.code])).toEqual([
      ['a', 'failed', 'FORBIDDEN'],
      ['b', 'failed', 'BAD_INPUT'],
      ['c', 'failed', 'BLOCKED'],
    ]);
    const d = answering();
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual([]);
  });

  it('sent offline, it waits (no Retry yet) and goes by itself once the connection is back, with the same clientId', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    await outbox.send(item('a'), failing(offline));
    expect(outbox.get('a')).toEqual({ ...item('a'), status: 'waiting', problem: { code: 'NETWORK' } });

    const d = answering();
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual(['a']);
    expect(d.stored).toEqual(['a']);
    expect(outbox.inRoom('r1')).toEqual([]);
    // Back again later: nothing left to send, so never twice.
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual(['a']);
  });

  it('is sending while it goes by itself, and "not sent" with Retry only when that one resend fails; never resent again by itself', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    await outbox.send(item('a'), failing(offline));
    let fail: (error: unknown) => void = () => undefined;
    const resending = outbox.resendWaiting(deliveries(() => new Promise((_, reject) => (fail = reject))).delivery);
    await Promise.resolve();
    expect(outbox.get('a')?.status).toBe('sending');
    fail(offline);
    await resending;
    expect(outbox.get('a')).toEqual({ ...item('a'), status: 'failed', problem: { code: 'NETWORK' } });

    const d = answering();
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual([]);
    // Retry by hand while still offline: it waits again, for one more resend by itself.
    await outbox.send(outbox.get('a')!, failing(offline));
    expect(outbox.get('a')?.status).toBe('waiting');
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual(['a']);
    expect(outbox.inRoom('r1')).toEqual([]);
  });

  it('what waited goes one at a time, oldest first, across rooms; a removed one does not go', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    await outbox.send(item('late', 'r1', '2030-01-01T00:00:03.000Z'), failing(offline));
    await outbox.send(item('early', 'r2', '2030-01-01T00:00:01.000Z'), failing(offline));
    await outbox.send(item('middle', 'r1', '2030-01-01T00:00:02.000Z'), failing(offline));
    await outbox.send(item('dropped', 'r1', '2030-01-01T00:00:00.000Z'), failing(offline));
    outbox.remove('dropped');

    const d = answering();
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual(['early', 'middle', 'late']);
    expect(d.mostAtOnce()).toBe(1);
    expect(d.stored).toEqual(['early', 'middle', 'late']);
    expect([...outbox.inRoom('r1'), ...outbox.inRoom('r2')]).toEqual([]);
  });

  it('a server that answered "busy" or "too fast" says so at once with Retry: only a message without any answer waits', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    await outbox.send(item('busy'), failing(refused('SERVICE_UNAVAILABLE')));
    await outbox.send(item('fast'), failing(refused('RATE_LIMITED', { retryAfterMs: 3000 })));
    expect(outbox.get('busy')).toMatchObject({ status: 'failed', problem: { code: 'SERVICE_UNAVAILABLE' } });
    expect(outbox.get('fast')).toMatchObject({ status: 'failed', problem: { code: 'RATE_LIMITED', retryAfterMs: 3000 } });
    const d = answering();
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual([]);
  });

  it('signed out: no reason kept, so Retry by hand once back, but nothing by itself', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    await outbox.send(item('a'), failing(refused('SESSION_EXPIRED')));
    expect(outbox.get('a')).toEqual({ ...item('a'), status: 'failed' });
    const d = answering();
    await outbox.resendWaiting(d.delivery);
    expect(d.sends).toEqual([]);
  });

  it('a message removed while on its way stays removed when the send fails', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    let fail: (error: unknown) => void = () => undefined;
    const sending = outbox.send(item('a'), deliveries(() => new Promise((_, reject) => (fail = reject))).delivery);
    outbox.remove('a');
    await Promise.resolve();
    fail(offline);
    await sending;
    expect(outbox.inRoom('r1')).toEqual([]);
  });

  it('forgets what the server confirmed, and everything on clear', () => {
    const storage = memoryStorage();
    const outbox = new Outbox('ann', storage);
    outbox.put(item('a'));
    outbox.put(item('b'));
    outbox.confirm(['a']);
    expect(outbox.inRoom('r1').map((i) => i.clientId)).toEqual(['b']);
    outbox.remove('b');
    expect(storage.dump()).toEqual({});
    outbox.put(item('c'));
    outbox.clear();
    expect(new Outbox('ann', storage).inRoom('r1')).toEqual([]);
  });

  it('hands React the same list until the room changes, and tells subscribers', async () => {
    const outbox = new Outbox('ann', memoryStorage());
    let changes = 0;
    outbox.subscribe(() => changes++);
    outbox.put(item('a'));
    const first = outbox.inRoom('r1');
    expect(outbox.inRoom('r1')).toBe(first);
    outbox.remove('nope'); // no change: no render
    outbox.confirm(['nope']);
    expect(changes).toBe(1);
    await outbox.send(item('a'), failing(offline)); // sending, then waiting
    expect(outbox.inRoom('r1')).not.toBe(first);
    expect(changes).toBe(3);
  });

  it('ignores storage it cannot read', () => {
    const storage = memoryStorage();
    storage.setItem('youngchat.outbox.ann', '{not json');
    expect(new Outbox('ann', storage).inRoom('r1')).toEqual([]);
    storage.setItem('youngchat.outbox.ann', JSON.stringify([{ clientId: 1 }, item('ok'), { ...item('odd'), problem: { code: 'DROP TABLE' } }]));
    // An unreadable reason is dropped, never the message.
    expect(new Outbox('ann', storage).inRoom('r1')).toEqual([
      { ...item('ok'), status: 'failed' },
      { ...item('odd'), status: 'failed' },
    ]);
  });
});

describe('newClientId', () => {
  it('is a version-4 UUID, as the API requires, and unique', () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
