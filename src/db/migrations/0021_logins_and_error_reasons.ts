import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Facebook and Instagram logins begun but not finished, in the data file so that a restart
// between Meta's dialog and its callback loses nothing. The `state` from the URL is kept only as
// its hash; after the code exchange, the Pages' tokens are sealed in `login`. Rows live 15 minutes,
// and go with the session (logout) or the client.
// A failed message's reason as a catalog key with its values (JSON), so that the thread says it in
// the reader's language; `error` keeps the English text for the API and logs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('error_reason', 'text').execute();
  await db.schema.createTable('pending_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('flow', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('login', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pending_logins_session').on('pending_logins').column('session_id').execute();
  await db.schema.createIndex('pending_logins_client').on('pending_logins').column('client_id').execute();
}
