import type { Kysely } from 'kysely';
import type { AdapterKinds } from '@youngchat/shared';
import type { Dependency } from './dependency.ts';

/** Table types. Repositories select explicit columns from these. */
export interface KvEntriesTable {
  key: string;
  value: string;
  expires_at: Date;
}

export interface DatabaseSchema {
  kv_entries: KvEntriesTable;
}

export type Db = Kysely<DatabaseSchema>;

export interface Database extends Dependency {
  readonly kind: AdapterKinds['database'];
  readonly db: Db;
}
