import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// An outbound message may answer a specific message of its conversation (WhatsApp shows it quoted).
// No foreign key: erasing a contact deletes the whole thread, and a missing quoted message just
// sends without the quote (a foreign key would need an index to keep deletions cheap).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('reply_to_message_id', 'text').execute();
}
