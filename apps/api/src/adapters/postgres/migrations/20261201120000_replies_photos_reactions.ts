import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// A message may answer another of its room, carry a photo (its objects' keys and size), and be given reactions:
// {emoji: [userId, …]}, kept on the row so history reads them with the message and a toggle is one row update.
// reply_to_id has no foreign key: removing a message would then search every message for replies to it (no index
// serves that), and a reply to a row that is gone simply shows it deleted.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages
    add column reply_to_id uuid,
    add column photo jsonb,
    add column reactions jsonb not null default '{}'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table messages drop column reply_to_id, drop column photo, drop column reactions`.execute(db);
}
