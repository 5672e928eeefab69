import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { undoOnInterrupt } from '../cleanup.ts';
import type { RoomPlan } from '../room-plan.ts';
import { createPgDatabase, createPgliteDatabase, directKey, migrateToLatest, type Database, type Db } from './internals.ts';

/** Rows per INSERT: a few statements in all, well under PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_INSERT = 5_000;

export interface ScratchDatabase {
  /** For the API's environment: DATA_DIR, plus DATABASE_URL on PostgreSQL. */
  env: Record<string, string>;
  /** The API's own adapter on it, migrated by the API's own migrator. */
  open(): Promise<Database>;
  remove(): Promise<void>;
}

/**
 * A fresh database for one target: PGlite in a temporary DATA_DIR, or a new `yc_loadtest_<random>` database on
 * the PostgreSQL server at `serverUrl`. Each target starts from the same seeded state.
 */
export async function scratchDatabase(serverUrl: string | undefined): Promise<ScratchDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-loadtest-'));
  const removeDir = undoOnInterrupt(() => rm(dataDir, { recursive: true, force: true }));
  const migrated = async (database: Database) => {
    await migrateToLatest(database.db);
    return database;
  };
  if (!serverUrl) {
    return { env: { DATA_DIR: dataDir }, open: async () => migrated(await createPgliteDatabase({ dataDir })), remove: removeDir };
  }
  const name = `yc_loadtest_${randomBytes(6).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await onServer(serverUrl, `CREATE DATABASE ${name}`);
  } catch (error) {
    await removeDir();
    throw error;
  }
  const dropDatabase = undoOnInterrupt(() => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    open: () => migrated(createPgDatabase({ url: url.toString(), poolSize: 8 })),
    async remove() {
      await dropDatabase();
      await removeDir();
    },
  };
}

/** CREATE / DROP DATABASE cannot run inside the target database, nor in a transaction. */
async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await insert(rows.slice(i, i + ROWS_PER_INSERT));
}

/** The seeded ids, by the plan's user and room indices. */
export interface SeededRooms {
  userIds: string[];
  roomIds: string[];
}

/**
 * One account per planned user (nobody can sign in as them: the password hash is not one) and the plan's rooms
 * with their members; a 1:1 room carries the pair's key as the API's openDirect would make it.
 */
export async function seedRooms(db: Db, plan: RoomPlan): Promise<SeededRooms> {
  const userIds = plan.roomsOf.map(() => randomUUID());
  const roomIds = plan.rooms.map(() => randomUUID());
  await insertInChunks(
    userIds.map((id, i) => ({ id, email: `user${i}@loadtest.invalid`, password_hash: '-', nickname: `user ${i}` })),
    (rows) => db.insertInto('users').values(rows).execute(),
  );
  await insertInChunks(
    plan.rooms.map((room, r) => ({
      id: roomIds[r]!,
      kind: room.kind,
      name: room.kind === 'group' ? `room ${r}` : '',
      direct_key: room.kind === 'direct' ? directKey(userIds[room.members[0]!]!, userIds[room.members[1]!]!) : null,
    })),
    (rows) => db.insertInto('rooms').values(rows).execute(),
  );
  await insertInChunks(
    plan.rooms.flatMap((room, r) => room.members.map((user) => ({ room_id: roomIds[r]!, user_id: userIds[user]! }))),
    (rows) => db.insertInto('room_members').values(rows).execute(),
  );
  // A database that grew by use has statistics; one loaded in bulk a moment ago has none, and the API's prepared
  // statements would be planned for tables of a few rows (the send batch then scanned every active membership to
  // count each message's unread members). The tables that grow during the run are left to autovacuum, as in use.
  await sql`analyze users, rooms, room_members`.execute(db);
  return { userIds, roomIds };
}
