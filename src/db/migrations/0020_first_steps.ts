import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// The dashboard's first steps are shown to a person until they hide them: when they did, per user.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('first_steps_dismissed_at', 'text').execute();
}
