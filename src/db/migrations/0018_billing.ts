import { sql, type Kysely } from 'kysely';

// Billing (issue 17): daily usage rollups, plans and their assignment to clients, the client's
// billing details, quota notices, and issued statements (immutable: triggers refuse UPDATE and
// DELETE, as the audit log's does; kept by law, so no foreign key lets a client's deletion cascade).
export async function up(db: Kysely<any>): Promise<void> {
  // One counter per client, client-local day, channel ('' when none) and API kind.
  await db.schema
    .createTable('usage_daily')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull()) // YYYY-MM-DD in the client's time zone
    .addColumn('channel_account_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull()) // message_in | message_out | ai_call | ai_tokens_in | ai_tokens_out | api_call
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_daily_pk', ['client_id', 'day', 'channel_account_id', 'kind'])
    .modifyEnd(sql`WITHOUT ROWID`)
    .execute();
  // How far the rollup has read usage_events (by rowid): one row.
  await db.schema
    .createTable('usage_rollup_marks')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_rowid', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('KZT'))
    .addColumn('monthly_price_minor', 'integer', (c) => c.notNull().defaultTo(0))
    // Included amounts per month; null = unlimited.
    .addColumn('included_messages', 'integer')
    .addColumn('included_ai_replies', 'integer')
    .addColumn('included_ai_tokens', 'integer')
    .addColumn('included_api_calls', 'integer')
    .addColumn('included_channels', 'integer')
    // Overage prices in minor units: per message, per AI reply, per 1,000 AI tokens, per 1,000 API calls, per channel account.
    .addColumn('overage_message_minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overage_ai_reply_minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overage_ai_tokens_minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overage_api_calls_minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overage_channel_minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('on_limit', 'text', (c) => c.notNull().defaultTo('bill')) // bill | stop_ai
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_plan_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('plan_id', 'text', (c) => c.references('billing_plans.id')) // null: no plan from that day
    .addColumn('starts_on', 'text', (c) => c.notNull()) // YYYY-MM-DD, client-local
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('billing_plan_assignments_client_idx').on('billing_plan_assignments').columns(['client_id', 'starts_on']).execute();

  await db.schema
    .createTable('billing_details')
    .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id').onDelete('cascade'))
    .addColumn('legal_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bin', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('invoice_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A threshold told once per client, period and metric.
  await db.schema
    .createTable('billing_quota_notices')
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull()) // 80 | 100
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_quota_notices_pk', ['client_id', 'period_start', 'metric', 'threshold'])
    .execute();

  await db.schema
    .createTable('statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique()) // YYYY-NNNNN
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull()) // YYYY-MM-DD, client-local
    .addColumn('period_end', 'text', (c) => c.notNull()) // YYYY-MM-DD inclusive
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'integer', (c) => c.notNull())
    .addColumn('corrects', 'text') // the number of the statement this one corrects
    .addColumn('document', 'text', (c) => c.notNull()) // JSON: plan, lines, client and operator details, VAT
    .execute();
  await db.schema.createIndex('statements_year_seq_idx').on('statements').columns(['year', 'seq']).unique().execute();
  await db.schema.createIndex('statements_client_idx').on('statements').columns(['client_id', 'period_start']).execute();
  // Raw SQL: kysely has no trigger builder.
  await sql`CREATE TRIGGER statements_no_update BEFORE UPDATE ON statements BEGIN SELECT RAISE(ABORT, 'statements are immutable once issued'); END`.execute(db);
  await sql`CREATE TRIGGER statements_no_delete BEFORE DELETE ON statements BEGIN SELECT RAISE(ABORT, 'statements are immutable once issued'); END`.execute(db);
}
