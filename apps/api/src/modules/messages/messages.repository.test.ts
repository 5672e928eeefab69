import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../adapters/embedded/pglite-database.ts';
import { migrateToLatest } from '../../adapters/postgres/migrator.ts';
import type { Database } from '../../ports/database.ts';
import { unreadBy, unreadCounter } from './messages.mapper.ts';
import { activeMembers } from '../rooms/rooms.repository.ts';
import { pagesOf, type MessageRow, type PageRow } from './messages.repository.ts';

describe('a page of history', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createPgliteDatabase({ dataDir: 'memory' });
    await migrateToLatest(database.db);
  });
  afterAll(() => database?.close());

  it('pages newest first, and counts each message’s unread members as comparing every member would', async () => {
    const { db } = database;
    const messages = 95;
    const users = Array.from({ length: 40 }, () => randomUUID());
    const roomId = randomUUID();
    await db.insertInto('users').values(users.map((id) => ({ id, email: `${id}@example.com`, password_hash: '-', nickname: 'n' }))).execute();
    await db.insertInto('rooms').values({ id: roomId, kind: 'group', name: 'r', last_seq: messages }).execute();
    // Members at every kind of position: read nothing, read into the middle of a page or to its edges, read all,
    // joined late (inside a page), left (not counted).
    const random = (n: number) => Math.floor(Math.random() * n);
    await db
      .insertInto('room_members')
      .values(
        users.map((user_id, i) => {
          const joined = i % 5 === 0 ? random(messages) : 0;
          return { room_id: roomId, user_id, joined_seq: joined, last_read_seq: Math.max(joined, [0, messages, random(messages + 1)][i % 3]!) };
        }),
      )
      .execute();
    await db.updateTable('room_members').set({ left_at: new Date() }).where('user_id', '=', users[7]!).execute();
    await db
      .insertInto('messages')
      .values(
        Array.from({ length: messages }, (_, i) => ({
          id: randomUUID(),
          room_id: roomId,
          seq: i + 1,
          sender_id: users[1 + (i % 3)]!,
          body: `m${i + 1}`,
          client_id: randomUUID(),
        })),
      )
      .execute();
    // Senders have read what they sent, as sending makes them.
    for (const sender of users.slice(1, 4)) {
      await db.updateTable('room_members').set({ last_read_seq: messages }).where('user_id', '=', sender).execute();
    }
    const members = await activeMembers(db, [roomId]);
    const unread = unreadCounter(members);
    let before: number | null = null;
    let pages = 0;
    let seen = 0;
    do {
      const [page]: MessageRow[][] = await pagesOf(db, [{ roomId, before }], 30);
      expect(page!.map(unread)).toEqual(page!.map((m) => unreadBy(m, members)));
      seen += page!.length;
      before = page!.length === 30 ? page!.at(-1)!.seq : null;
      pages += 1;
    } while (before !== null);
    expect([pages, seen]).toEqual([4, messages]);
    expect(await pagesOf(db, [{ roomId, before: 1 }], 30)).toEqual([[]]);

    // Several pages in one statement: each as read alone, in the order asked, the same page twice included.
    const asked = [{ roomId, before: null }, { roomId: randomUUID(), before: null }, { roomId, before: 50 }, { roomId, before: 1 }, { roomId, before: null }];
    const withoutPlace = (pages: PageRow[][]) => pages.map((page) => page.map(({ page: _place, ...row }) => row));
    const alone = await Promise.all(asked.map(async (address) => withoutPlace(await pagesOf(db, [address], 30))[0]));
    const together = await pagesOf(db, asked, 30);
    expect(withoutPlace(together)).toEqual(alone);
    expect(together.map((page) => new Set(page.map((m) => m.page)))).toEqual([new Set([1]), new Set(), new Set([3]), new Set(), new Set([5])]);
    expect(together.map((page) => page.map((m) => m.seq)[0])).toEqual([95, undefined, 49, undefined, 95]);
    expect(together[2]!.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 49 - i));
  });
});
