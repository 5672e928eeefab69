import type { Generated, Kysely } from 'kysely';
import type { AdapterKinds } from '@youngchat/shared';
import type { Dependency } from './dependency.ts';

/** Table types. Repositories select explicit columns from these. */
export interface KvEntriesTable {
  key: string;
  value: string;
  expires_at: Date;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  nickname: string;
  status_message: Generated<string>;
  avatar_key: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Set when the account was deleted: the row stays so their messages keep a sender ("deleted user"). */
  deleted_at: Date | null;
}

/** One sign-in (refresh-token family), as the person sees it in their list of devices. */
export interface SessionsTable {
  id: string;
  user_id: string;
  user_agent: Generated<string>;
  /** Approximate: the start of the address it signed in from, or null. */
  place: string | null;
  created_at: Generated<Date>;
  last_active_at: Generated<Date>;
  ended_at: Date | null;
}

/** One row: the stream's last position given out, and how far it has been pruned. */
export interface StreamHeadTable {
  id: number;
  pos: number;
  pruned_to: number;
}

/** The commit-ordered log of durable events (docs/decisions/0007-delivery-engine.md). */
export interface StreamEventsTable {
  pos: number;
  room_id: string;
  /** Only this user's (their own view of the room); null for every member of the room at `pos`. */
  user_id: string | null;
  membership: 'join' | 'leave' | null;
  /** message.created, rebuilt from the message row. */
  message_id: string | null;
  /** Every other DurableEvent, as JSON text. */
  event: string | null;
  /** The shape `event` was written in (EVENT_VERSION then). */
  version: Generated<number>;
  created_at: Generated<Date>;
}

export interface RoomsTable {
  id: string;
  kind: 'direct' | 'group';
  name: Generated<string>;
  direct_key: string | null;
  last_seq: Generated<number>;
  last_message_at: Date | null;
  created_at: Generated<Date>;
}

export interface RoomMembersTable {
  room_id: string;
  user_id: string;
  joined_at: Generated<Date>;
  joined_seq: Generated<number>;
  last_read_seq: Generated<number>;
  left_at: Date | null;
}

export interface MessagesTable {
  id: string;
  room_id: string;
  seq: number;
  sender_id: string;
  body: string;
  client_id: string;
  created_at: Generated<Date>;
  edited_at: Date | null;
  deleted_at: Date | null;
  reply_to_id: string | null;
  photo: StoredPhoto | null;
  /** Who gave each reaction: {emoji: [userId, …]}. */
  reactions: Generated<Record<string, string[]>>;
}

/** A photo message's objects in the BlobStore, and the picture's size. */
export interface StoredPhoto {
  key: string;
  thumbKey: string;
  width: number;
  height: number;
}

export interface UserBlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: Generated<Date>;
}

export interface DatabaseSchema {
  kv_entries: KvEntriesTable;
  users: UsersTable;
  sessions: SessionsTable;
  rooms: RoomsTable;
  room_members: RoomMembersTable;
  messages: MessagesTable;
  stream_head: StreamHeadTable;
  stream_events: StreamEventsTable;
  user_blocks: UserBlocksTable;
}

export type Db = Kysely<DatabaseSchema>;

/**
 * Put first in a hot statement whose text never varies (arguments as arrays, not lists), to ask the adapter to plan
 * it once per connection and reuse the plan. Adapters that cannot simply run it: it is an SQL comment.
 */
export const REUSE_PLAN = '/* reuse plan */';

export interface Database extends Dependency {
  readonly kind: AdapterKinds['database'];
  readonly db: Db;
}
