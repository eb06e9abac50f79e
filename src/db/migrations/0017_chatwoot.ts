import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Chatwoot (the chatwoot room): a client's connection (its API token and pasted webhook secret
// sealed, contexts "<table>.<column>"), one API-channel inbox per channel account (its webhook URL
// token, and the signing secret Chatwoot returned, sealed), the id map between our contacts,
// conversations and messages and Chatwoot's (unique both ways, so a create is never repeated),
// and the webhook deliveries already seen (dedupe by X-Chatwoot-Delivery and by message id).
// Rows that concern a person carry contact_id, so export and erasure reach them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chatwoot_accounts')
    .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('api_token', 'text')
    .addColumn('webhook_secret', 'text')
    .addColumn('sign_agent_name', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resume_ai_on_resolve', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('connected_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('last_ok_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chatwoot_inboxes')
    .addColumn('channel_account_id', 'text', (c) => c.primaryKey().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('inbox_id', 'integer', (c) => c.notNull())
    .addColumn('webhook_token', 'text', (c) => c.notNull().unique())
    .addColumn('secret', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chatwoot_links')
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('local_id', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'integer', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chatwoot_links_pk', ['client_id', 'kind', 'local_id'])
    .addUniqueConstraint('chatwoot_links_remote_uq', ['client_id', 'kind', 'remote_id'])
    .execute();
  await db.schema.createIndex('chatwoot_links_contact_idx').on('chatwoot_links').columns(['client_id', 'contact_id']).execute();

  await db.schema
    .createTable('chatwoot_seen')
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chatwoot_seen_pk', ['client_id', 'key'])
    .execute();
  await db.schema.createIndex('chatwoot_seen_at_idx').on('chatwoot_seen').column('seen_at').execute();
}
