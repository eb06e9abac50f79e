import type { Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// The AI assistant: per-client settings, cross-border transfer authorisations, one row per
// provider call (usage and cost), and per-conversation AI bookkeeping (rolling summary,
// disclosure sent, failures). The conversation's ai_state itself lives on conversations (0002).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ai_settings')
    .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provider', 'text', (c) => c.notNull().defaultTo('faq')) // openai | compatible | faq
    .addColumn('base_url', 'text')
    .addColumn('located_in_kazakhstan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('api_key', 'text') // sealed, context "ai_settings.api_key"
    .addColumn('instructions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('facts', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('faq', 'text', (c) => c.notNull().defaultTo('[]')) // [{question, answer}]
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo('["ru","kk","en"]'))
    .addColumn('handoff_keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('redact', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('debounce_seconds', 'integer', (c) => c.notNull().defaultTo(4))
    .addColumn('resume_after_minutes', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('disclosure', 'text') // null: no disclosure line
    .addColumn('fallback_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reply_length', 'text', (c) => c.notNull().defaultTo('medium')) // short | medium | long
    .addColumn('channel_ids', 'text', (c) => c.notNull().defaultTo('[]')) // working channels; [] = all
    .addColumn('transcribe_voice', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transcription_model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('provider_status', 'text', (c) => c.notNull().defaultTo('ok')) // ok | needs_attention
    .addColumn('provider_error', 'text')
    .addColumn('provider_error_at', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The owner's authorisation of cross-border processing (who, when, which policy text). Rows are
  // never deleted: withdrawal sets withdrawn_at, so the history stays provable.
  await db.schema
    .createTable('transfer_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull()) // openai | compatible
    .addColumn('destination', 'text', (c) => c.notNull().defaultTo('')) // the endpoint's host at the time
    .addColumn('policy_version', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull()) // user id
    .addColumn('recorded_by_label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'text')
    .execute();
  await db.schema.createIndex('transfer_consents_client_idx').on('transfer_consents').columns(['client_id', 'provider', 'withdrawn_at']).execute();

  // One row per provider call (and per offline FAQ answer): what billing and the usage page read.
  // No message text here: counts, timings and outcomes only.
  await db.schema
    .createTable('ai_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.references('conversations.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull()) // chat | transcription | faq
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tokens_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tokens_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('outcome', 'text', (c) => c.notNull()) // answered | handoff | failed | …
    .addColumn('error_code', 'text')
    .addColumn('cost_micros', 'integer', (c) => c.notNull().defaultTo(0)) // estimated, millionths of a US dollar
    .addColumn('playground', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ai_calls_client_idx').on('ai_calls').columns(['client_id', 'at']).execute();
  await db.schema.createIndex('ai_calls_conversation_idx').on('ai_calls').column('conversation_id').execute();

  // Per-conversation AI bookkeeping. summary holds personal data (older turns, shortened), so the
  // row carries client_id and contact_id and goes with the conversation.
  await db.schema
    .createTable('ai_conversations')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('summary', 'text')
    .addColumn('summary_through_id', 'text') // the newest message folded into the summary
    .addColumn('disclosed_at', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0)) // consecutive failed turns
    .addColumn('handoff_reason', 'text') // keyword | tool | failures | no_match | restricted
    .addColumn('handed_off_at', 'text')
    .addColumn('first_ai_reply_at', 'text')
    .addColumn('resumed_at', 'text') // a person resumed the AI: agent messages before this no longer pause it
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ai_conversations_client_idx').on('ai_conversations').columns(['client_id', 'contact_id']).execute();
}
