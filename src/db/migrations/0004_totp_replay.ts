import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// The last TOTP time step accepted for each user, so a code cannot be used twice (RFC 6238 §5.2).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
}
