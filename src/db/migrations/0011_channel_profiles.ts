import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// - channel_accounts.phone / profile_name: who a paired account is on its platform (the WhatsApp
//   number and profile name), reported by its adapter once connected.
// - channel_accounts.deleted_at: a deleted account keeps its row (its conversations stay readable
//   in the inbox) but is hidden from lists and the API.
// - messages.edited_at / deleted_at: a customer edited or revoked a message on the platform.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_accounts').addColumn('phone', 'text').execute();
  await db.schema.alterTable('channel_accounts').addColumn('profile_name', 'text').execute();
  await db.schema.alterTable('channel_accounts').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('messages').addColumn('edited_at', 'text').execute();
  await db.schema.alterTable('messages').addColumn('deleted_at', 'text').execute();
}
