import { sql, type Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// The messaging core: channel accounts, contacts and their identities, conversations, messages,
// attachments, the durable jobs table (outbox), usage events, and the sandbox's delivery log.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // sandbox | whatsapp | instagram
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('disconnected'))
    .addColumn('last_error', 'text')
    .addColumn('credentials', 'text') // sealed (context channel_accounts.credentials)
    .addColumn('public_token', 'text', (c) => c.unique()) // sandbox: the customer page's unguessable token
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channel_accounts_client_idx').on('channel_accounts').column('client_id').execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('restricted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('objected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_client_idx').on('contacts').columns(['client_id', 'id']).execute();

  // The same person seen by a channel: phone, WhatsApp JID/LID, Instagram-scoped id, username, sandbox customer.
  await db.schema
    .createTable('contact_identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('channel_account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_identities_unique').on('contact_identities').columns(['channel_account_id', 'kind', 'value']).unique().execute();
  await db.schema.createIndex('contact_identities_contact_idx').on('contact_identities').column('contact_id').execute();

  // One conversation per contact and channel account: a resolved one is reopened, never duplicated.
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('channel_account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open')) // open | pending | resolved
    .addColumn('assignee_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('ai_state', 'text', (c) => c.notNull().defaultTo('active')) // active | paused | handed_off | off
    .addColumn('ai_paused_until', 'text')
    .addColumn('unread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('last_inbound_at', 'text')
    .addColumn('last_auto_reply_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversations_contact_unique').on('conversations').columns(['channel_account_id', 'contact_id']).unique().execute();
  // The inbox lists newest activity first, optionally by status (p95 < 50 ms at 100k conversations).
  await db.schema.createIndex('conversations_inbox_idx').on('conversations').columns(['client_id', 'last_activity_at desc', 'id desc']).execute();
  await db.schema.createIndex('conversations_status_idx').on('conversations').columns(['client_id', 'status', 'last_activity_at desc', 'id desc']).execute();
  await db.schema.createIndex('conversations_contact_idx').on('conversations').column('contact_id').execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('channel_account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull()) // in | out
    .addColumn('author_kind', 'text', (c) => c.notNull()) // contact | agent | ai | rule | system
    .addColumn('author_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('platform_message_id', 'text')
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull()) // queued | sent | delivered | read | failed
    .addColumn('error', 'text')
    .addColumn('in_flight_at', 'text') // a send call started where the platform offers no idempotency
    .addColumn('uncertain', 'integer', (c) => c.notNull().defaultTo(0)) // a crash left the outcome of a send unknown
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('read_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_platform_unique').on('messages').columns(['channel_account_id', 'platform_message_id']).unique().execute();
  await db.schema.createIndex('messages_thread_idx').on('messages').columns(['conversation_id', 'id']).execute();
  await db.schema.createIndex('messages_client_idx').on('messages').columns(['client_id', 'id']).execute();
  await db.schema.createIndex('messages_contact_idx').on('messages').column('contact_id').execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.references('messages.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull()) // relative to <data-dir>/attachments
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_message_idx').on('attachments').column('message_id').execute();
  await db.schema.createIndex('attachments_client_idx').on('attachments').columns(['client_id', 'contact_id']).execute();

  // The durable jobs table (outbox and periodic work). queue_key orders jobs (sends of one
  // conversation run one after another); rate_key names a token bucket (a channel account).
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('queue_key', 'text')
    .addColumn('rate_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending')) // pending | running | done | dead
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('every_ms', 'integer') // periodic jobs re-arm themselves after each run
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_at']).execute();
  // The head of a queue is its first pending or running job: found by seeks, whatever the queue's history.
  await db.schema.createIndex('jobs_queue_idx').on('jobs').columns(['queue_key', 'status', 'id']).where(sql.ref('queue_key'), 'is not', null).execute();
  await db.schema.createIndex('jobs_conversation_idx').on('jobs').columns(['conversation_id', 'kind', 'status']).execute();
  await db.schema.createIndex('jobs_client_idx').on('jobs').columns(['client_id', 'status']).execute();
  await db.schema.createIndex('jobs_contact_idx').on('jobs').column('contact_id').execute();

  await db.schema
    .createTable('usage_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // inbound_message | outbound_message | api_call | …
    .addColumn('channel_account_id', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('meta', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('usage_events_client_idx').on('usage_events').columns(['client_id', 'at']).execute();

  // The sandbox is its own receiving side: one row per delivered message (exactly once by message
  // id); `calls` counts how often the send was attempted, so tests can see retries.
  await db.schema
    .createTable('sandbox_deliveries')
    .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('channel_account_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('delivered_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sandbox_deliveries_conversation_idx').on('sandbox_deliveries').columns(['conversation_id', 'message_id']).execute();
}
