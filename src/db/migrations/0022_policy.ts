import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Policy versions, acceptances and the breach register (issue 18).
// - policy_versions: the operator's privacy-policy texts (markdown), each with its effective date
//   (YYYY-MM-DD in operator.timezone) and whether the change is significant (e-mailed 30 days ahead).
// - policy_acceptances: which owner of which client accepted which version, and when.
//   user_id is an internal id, not a foreign key: the record outlives the member.
// - breaches and breach_clients: the breach register (detection time, what happened, when the
//   authority and the clients were notified) and which clients each breach affects.
// - processing_activities: the operator's own entries in its record of processing activities
//   (GDPR Art. 30), beside the rows Habar builds from its registry (processing outside Habar).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('effective_date', 'text', (c) => c.notNull())
    .addColumn('significant', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .execute();
  await db.schema.createIndex('policy_versions_effective_idx').on('policy_versions').columns(['effective_date', 'published_at']).execute();

  await db.schema
    .createTable('policy_acceptances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_version_id', 'text', (c) => c.notNull().references('policy_versions.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_acceptances_client_idx').on('policy_acceptances').columns(['client_id', 'policy_version_id', 'user_id']).unique().execute();

  await db.schema
    .createTable('breaches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('authority_notified_at', 'text')
    .addColumn('clients_notified_at', 'text')
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('breach_clients')
    .addColumn('breach_id', 'text', (c) => c.notNull().references('breaches.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('breach_clients_pk', ['breach_id', 'client_id'])
    .execute();
  await db.schema.createIndex('breach_clients_client_idx').on('breach_clients').columns(['client_id', 'breach_id']).execute();

  await db.schema
    .createTable('processing_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('data_categories', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data_subjects', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recipients', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('transfers', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('retention', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('security', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
