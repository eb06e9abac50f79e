import { sql, type Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// WhatsApp (Baileys) auth state in its own rows instead of one blob per number: the creds and
// every signal key (pre-keys, sessions, sender keys, app-state sync keys and versions, LID
// mappings, device lists, …) change on nearly every message, so each is a row, sealed by the
// vault (context "whatsapp_auth_keys.value"). Key ids that name a person (a JID, a phone number)
// are kept as keyed hashes (key_hash, with a per-number hash key that is itself a sealed row),
// and subject_hash is the keyed hash of the person's number, so erasing a contact deletes their
// sessions, device lists and LID mappings without any plain number in these rows.
// whatsapp_first_contacts: the contacts a number wrote to first (not after they wrote), per day,
// for the daily cap on first messages (anti-ban); a contact's erasure cascades.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('whatsapp_auth_keys')
    .addColumn('channel_account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('subject_hash', 'text')
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('whatsapp_auth_keys_pk', ['channel_account_id', 'type', 'key_hash'])
    .execute();
  // Raw SQL: kysely's schema builder cannot write a partial index's WHERE.
  await sql`CREATE INDEX whatsapp_auth_keys_subject_idx ON whatsapp_auth_keys (channel_account_id, subject_hash) WHERE subject_hash IS NOT NULL`.execute(db);

  await db.schema
    .createTable('whatsapp_first_contacts')
    .addColumn('channel_account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('whatsapp_first_contacts_pk', ['channel_account_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('whatsapp_first_contacts_day_idx').on('whatsapp_first_contacts').columns(['channel_account_id', 'day']).execute();
}
