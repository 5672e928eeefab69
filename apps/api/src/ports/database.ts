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
}

export interface DatabaseSchema {
  kv_entries: KvEntriesTable;
  users: UsersTable;
}

export type Db = Kysely<DatabaseSchema>;

export interface Database extends Dependency {
  readonly kind: AdapterKinds['database'];
  readonly db: Db;
}
