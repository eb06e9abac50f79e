import { sql, type Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// The privacy room (issue 14).
// - privacy_requests: the register of data-subject and client requests (export, erasure,
//   restriction, objection and their lifting): kind, requester, received date, due date (in the
//   client's time zone), status, progress, evidence of what was done. contact_id is the person's
//   internal id and deliberately NOT a foreign key: the record outlives the person it concerns
//   (an erasure's record must say that it happened) and names nobody once they are erased.
// - sandbox_deliveries and ai_calls get contact_id, so export and erasure find them by person
//   (backfilled from their message and conversation). A sandbox delivery goes with its contact;
//   an AI call (a usage count) stays without the person (set null).
// - audit_log: the append-only guard also refuses DELETE; the only UPDATE allowed is a member's
//   erasure replacing the actor label by a pseudonym ("erased-member:<id>"), which keeps the entry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('privacy_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('received'))
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    // contact | member | api_key | operator | system
    .addColumn('requester_kind', 'text', (c) => c.notNull())
    // The requester's internal id (a user's, an API key's, the contact's); never a name or a number.
    .addColumn('requester_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('error', 'text')
    .addColumn('download_path', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('backups_expire_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_requests_client_idx').on('privacy_requests').columns(['client_id', 'id']).execute();
  await db.schema.createIndex('privacy_requests_contact_idx').on('privacy_requests').columns(['client_id', 'contact_id', 'id']).execute();

  await db.schema.alterTable('sandbox_deliveries').addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('cascade')).execute();
  await sql`UPDATE sandbox_deliveries SET contact_id = (SELECT contact_id FROM messages WHERE messages.id = sandbox_deliveries.message_id)`.execute(db);
  await db.schema.createIndex('sandbox_deliveries_contact_idx').on('sandbox_deliveries').column('contact_id').execute();

  await db.schema.alterTable('ai_calls').addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null')).execute();
  await sql`UPDATE ai_calls SET contact_id = (SELECT contact_id FROM conversations WHERE conversations.id = ai_calls.conversation_id) WHERE conversation_id IS NOT NULL`.execute(db);
  await db.schema.createIndex('ai_calls_contact_idx').on('ai_calls').column('contact_id').execute();

  // Raw SQL: kysely has no trigger builder.
  await sql`DROP TRIGGER audit_log_no_update`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT (new.actor_label = 'erased-member:' || coalesce(old.actor_id, '') AND new.id = old.id AND new.at = old.at
      AND new.actor_id IS old.actor_id AND new.action = old.action AND new.client_id IS old.client_id AND new.target_type IS old.target_type
      AND new.target_id IS old.target_id AND new.ip = old.ip AND new.details = old.details)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
}
