import { describe, expect, it } from 'vitest';
import { memoryStorage } from './chat.fixtures.ts';
import type { OutgoingMessage } from './chat.history.ts';
import { newClientId, Outbox } from './chat.outbox.ts';

const item = (clientId: string, roomId = 'r1'): OutgoingMessage => ({
  clientId,
  roomId,
  body: `body ${clientId}`,
  createdAt: '2030-01-01T00:00:00.000Z',
  status: 'sending',
});

describe('Outbox', () => {
  it('keeps unsent messages across a reload, offering Retry for those that were on their way', () => {
    const storage = memoryStorage();
    const before = new Outbox('ann', storage);
    before.put(item('a'));
    before.put(item('b', 'r2'));
    before.setStatus('b', 'failed');

    const after = new Outbox('ann', storage);
    expect(after.inRoom('r1')).toEqual([{ ...item('a'), status: 'failed' }]);
    expect(after.inRoom('r2')).toEqual([{ ...item('b', 'r2'), status: 'failed' }]);
    expect(new Outbox('bo', storage).inRoom('r1')).toEqual([]); // per account
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

  it('hands React the same list until the room changes, and tells subscribers', () => {
    const outbox = new Outbox('ann', memoryStorage());
    let changes = 0;
    outbox.subscribe(() => changes++);
    outbox.put(item('a'));
    const first = outbox.inRoom('r1');
    expect(outbox.inRoom('r1')).toBe(first);
    outbox.setStatus('a', 'sending'); // no change: no render
    expect(changes).toBe(1);
    outbox.setStatus('a', 'failed');
    expect(outbox.inRoom('r1')).not.toBe(first);
    expect(changes).toBe(2);
  });

  it('ignores storage it cannot read', () => {
    const storage = memoryStorage();
    storage.setItem('youngchat.outbox.ann', '{not json');
    expect(new Outbox('ann', storage).inRoom('r1')).toEqual([]);
    storage.setItem('youngchat.outbox.ann', JSON.stringify([{ clientId: 1 }, item('ok')]));
    expect(new Outbox('ann', storage).inRoom('r1').map((i) => i.clientId)).toEqual(['ok']);
  });
});

describe('newClientId', () => {
  it('is a version-4 UUID, as the API requires, and unique', () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
