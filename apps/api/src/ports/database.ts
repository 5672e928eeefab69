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
  event_pos: Generated<number>;
}

export interface UserEventsTable {
  user_id: string;
  pos: number;
  /** A DurableEvent from @youngchat/shared, as the recipient sees it. */
  event: unknown;
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
}

export interface UserBlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: Generated<Date>;
}

export interface DatabaseSchema {
  kv_entries: KvEntriesTable;
  users: UsersTable;
  rooms: RoomsTable;
  room_members: RoomMembersTable;
  messages: MessagesTable;
  user_events: UserEventsTable;
  user_blocks: UserBlocksTable;
}

export type Db = Kysely<DatabaseSchema>;

export interface Database extends Dependency {
  readonly kind: AdapterKinds['database'];
  readonly db: Db;
}
