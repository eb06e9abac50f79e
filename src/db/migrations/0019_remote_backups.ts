import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Off-site backups: one row per upload, restore drill or notice, with its progress and result
// (the dashboard's line, the drill's history). Nothing about any client is stored here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('backup_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // upload | drill | notice
    .addColumn('status', 'text', (c) => c.notNull()) // running | ok | failed
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('object_key', 'text')
    .addColumn('bytes_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('backup_runs_kind_started').on('backup_runs').columns(['kind', 'started_at']).execute();
}
