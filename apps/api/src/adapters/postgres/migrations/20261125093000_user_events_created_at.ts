import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Old events are pruned by age (a retention window), which scans by created_at.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('user_events_created_at_idx').on('user_events').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('user_events_created_at_idx').execute();
}
