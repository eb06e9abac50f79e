import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Automation: a client's rules (ordered, each a validated JSON definition, with its statistics),
// response templates (keyed by code, text per language), business hours (one row per client),
// the rule firings of the last hour (the per-conversation cap) and which inbound message opened
// or reopened a conversation (the conversation.opened event).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('automation_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('fired_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_fired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_rules_name_unique').on('automation_rules').columns(['client_id', 'name']).unique().execute();

  await db.schema.createTable('response_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('texts', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('response_templates_code_unique').on('response_templates').columns(['client_id', 'code']).unique().execute();

  await db.schema.createTable('business_hours')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('week', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('holidays', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('out_of_hours_template', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('automation_firings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_firings_conversation_idx').on('automation_firings').columns(['conversation_id', 'fired_at']).execute();

  await db.schema.createTable('conversation_openings')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .execute();
}
