import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// The offline assistant's words: STOP and START keywords a client adds to the built-in ones
// (null: the defaults), and synonym groups added to the FAQ matcher's lexicon.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ai_settings').addColumn('stop_keywords', 'text').execute();
  await db.schema.alterTable('ai_settings').addColumn('start_keywords', 'text').execute();
  await db.schema.alterTable('ai_settings').addColumn('faq_synonyms', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}
