import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Termination and the purge (issue 14): a terminated client is purged N days later (90 by default);
// its row stays as a stripped tombstone (records kept longer by law point at it) with purged_at set.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('purged_at', 'text').execute();
}
