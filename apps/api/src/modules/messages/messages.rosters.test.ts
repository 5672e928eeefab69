import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../../adapters/embedded/in-process-event-bus.ts';
import { createPgliteDatabase } from '../../adapters/embedded/pglite-database.ts';
import { migrateToLatest } from '../../adapters/postgres/migrator.ts';
import type { Database } from '../../ports/database.ts';
import { createStream, type Stream } from '../../realtime/stream.ts';
import { createRosters } from './messages.rosters.ts';

describe('rosters: each room’s members and unread counter in memory', () => {
  let database: Database;
  let stream: Stream;
  let pos = 0;
  const roomId = randomUUID();
  const [ann, bob] = [randomUUID(), randomUUID()];
  /** An entry of the room applied by this instance, as a commit here or a relay would. */
  const entryOf = (room: string) => stream.publish([{ pos: ++pos, roomId: room, userId: null, membership: null, json: '{}' }]);
  const readTo = (userId: string, seq: number) =>
    database.db.updateTable('room_members').set({ last_read_seq: seq }).where('user_id', '=', userId).execute();
  const message = (seq: number) => ({ seq, sender_id: ann });

  beforeAll(async () => {
    database = await createPgliteDatabase({ dataDir: 'memory' });
    await migrateToLatest(database.db);
    const { db } = database;
    await db.insertInto('users').values([ann, bob].map((id) => ({ id, email: `${id}@example.com`, password_hash: '-', nickname: 'n' }))).execute();
    await db.insertInto('rooms').values({ id: roomId, kind: 'group', name: 'r', last_seq: 5 }).execute();
    await db.insertInto('room_members').values([ann, bob].map((user_id) => ({ room_id: roomId, user_id, joined_seq: 0, last_read_seq: 0 }))).execute();
    stream = createStream({
      bus: createInProcessEventBus(),
      instanceId: 'here',
      logger: pino({ level: 'silent' }),
      readHead: async () => ({ pos: 0, prunedTo: 0 }),
      readRange: async () => [],
      ringSize: 10,
      headPollMs: 60_000,
      fillDelayMs: 20,
      reachTimeoutMs: 1_000,
    });
    await stream.start();
  });
  afterAll(async () => {
    stream?.close();
    await database?.close();
  });

  it('is read once, kept while nothing happens in the room, and read again after an entry of the room', async () => {
    const rosters = createRosters(database.db, stream);
    expect((await rosters.rosterFor(roomId)).unread(message(3))).toBe(1); // Bob has not read it
    await readTo(bob, 5);
    // No entry yet: the copy stands (a read always comes with an entry; this one was made behind its back).
    expect((await rosters.rosterFor(roomId)).unread(message(3))).toBe(1);
    entryOf(randomUUID()); // another room's entry changes nothing here
    expect((await rosters.rosterFor(roomId)).unread(message(3))).toBe(1);
    entryOf(roomId);
    expect((await rosters.rosterFor(roomId)).unread(message(3))).toBe(0);
    await readTo(bob, 0);
  });

  it('does not keep a copy read while an entry of its room arrived', async () => {
    const rosters = createRosters(database.db, stream);
    const loading = rosters.rosterFor(roomId);
    entryOf(roomId); // arrives while the read is out
    await readTo(bob, 5);
    expect((await loading).unread(message(3))).toBe(1);
    expect((await rosters.rosterFor(roomId)).unread(message(3))).toBe(0);
    await readTo(bob, 0);
  });

  it('knows who may read the room: someone who left is out once an entry of the room is applied', async () => {
    const rosters = createRosters(database.db, stream);
    expect((await rosters.rosterFor(roomId)).member(bob)?.joined_seq).toBe(0);
    const leave = (left_at: Date | null) => database.db.updateTable('room_members').set({ left_at }).where('user_id', '=', bob).execute();
    await leave(new Date());
    entryOf(roomId); // the leave's own entry
    expect((await rosters.rosterFor(roomId)).member(bob)).toBeUndefined();
    expect((await rosters.rosterFor(roomId)).member(ann)).toBeDefined();
    await leave(null);
    entryOf(roomId);
  });
});
