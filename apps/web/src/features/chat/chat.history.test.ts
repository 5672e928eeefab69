import { describe, expect, it } from 'vitest';
import { ann, bo, history, message, page } from './chat.fixtures.ts';
import { mergeMessages, newestSeq, upsertMessage, type OutgoingMessage } from './chat.history.ts';

const outgoing = (clientId: string, body: string, status: OutgoingMessage['status'] = 'sending', createdAt = '2030-01-01T13:00:00.000Z'): OutgoingMessage => ({
  clientId,
  roomId: 'r',
  body,
  createdAt,
  status,
});

describe('mergeMessages', () => {
  it('turns my optimistic copy into the real message, matched by clientId, under the same key', () => {
    const before = mergeMessages([page([message('r', 1, bo.id)])], [outgoing('c-1', 'hello')], ann.id);
    expect(before.map((m) => [m.key, m.body, m.status])).toEqual([
      ['m:r-m1', 'message 1', null],
      ['c:c-1', 'hello', 'sending'],
    ]);

    const real = message('r', 2, ann.id, { clientId: 'c-1', body: 'hello', unreadCount: 1 });
    const after = mergeMessages([page([message('r', 1, bo.id), real])], [outgoing('c-1', 'hello')], ann.id);
    expect(after.map((m) => [m.key, m.id, m.status, m.unreadCount])).toEqual([
      ['m:r-m1', 'r-m1', null, 0],
      ['c:c-1', 'r-m2', 'sent', 1],
    ]);
  });

  it('shows each message once, however many pages or live copies carry it, keeping the freshest copy', () => {
    const original = message('r', 3, bo.id);
    const edited = { ...original, body: 'fixed', editedAt: '2030-01-01T12:10:00.000Z' };
    const merged = mergeMessages([page([original, message('r', 2, bo.id)]), page([edited, message('r', 1, bo.id)])], [], ann.id);
    expect(merged.map((m) => [m.seq, m.body])).toEqual([
      [1, 'message 1'],
      [2, 'message 2'],
      [3, 'fixed'],
    ]);
  });

  it('sorts by seq whatever order the messages came in', () => {
    const merged = mergeMessages([{ items: [message('r', 5, bo.id), message('r', 2, bo.id), message('r', 9, bo.id)], nextCursor: null }, page([message('r', 1, bo.id)])], [], ann.id);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 5, 9]);
  });

  it('keeps failed and sending messages after the confirmed ones, oldest first, with why they failed', () => {
    const merged = mergeMessages(
      [page([message('r', 1, bo.id)])],
      [
        { ...outgoing('b', 'second', 'failed', '2030-01-01T13:00:02.000Z'), problem: { code: 'FORBIDDEN' } },
        outgoing('a', 'first', 'sending', '2030-01-01T13:00:01.000Z'),
      ],
      ann.id,
    );
    expect(merged.map((m) => [m.body, m.status, m.problem?.code])).toEqual([
      ['message 1', null, undefined],
      ['first', 'sending', undefined],
      ['second', 'failed', 'FORBIDDEN'],
    ]);
  });

  it('someone else’s message with the same clientId does not confirm mine', () => {
    const theirs = message('r', 1, bo.id, { clientId: 'same' });
    const merged = mergeMessages([page([theirs])], [outgoing('same', 'mine')], ann.id);
    expect(merged.map((m) => m.status)).toEqual([null, 'sending']);
  });
});

describe('upsertMessage', () => {
  it('adds a new message to the newest page once; a duplicate changes nothing', () => {
    const start = history(page([message('r', 1, bo.id)]));
    const once = upsertMessage(start, message('r', 2, bo.id));
    expect(once.pages[0]!.items.map((m) => m.seq)).toEqual([2, 1]);
    const twice = upsertMessage(once, message('r', 2, bo.id));
    expect(twice.pages[0]!.items.map((m) => m.seq)).toEqual([2, 1]);
    expect(newestSeq(twice.pages)).toBe(2);
  });

  it('an edit does not undo a deletion that arrived first', () => {
    const m = message('r', 1, bo.id);
    const gone = upsertMessage(history(page([m])), { ...m, body: '', deletedAt: '2030-01-01T12:30:00.000Z' });
    const late = upsertMessage(gone, { ...m, body: 'edited', editedAt: '2030-01-01T12:20:00.000Z' });
    expect(late.pages[0]!.items[0]).toMatchObject({ body: '', deletedAt: '2030-01-01T12:30:00.000Z' });
  });

  it('leaves out a message older than the loaded part while more history remains (its page brings it)', () => {
    const start = history(page([message('r', 10, bo.id), message('r', 9, bo.id)], 9));
    expect(upsertMessage(start, message('r', 3, bo.id))).toBe(start);
  });
});
