// The ONE registry of every table and file that holds personal data (policy sections 3, 5.2, 7):
// export, erasure, restriction and retention all read it. A table with client_id or contact_id that
// is not listed here fails privacy/registry.test.ts, which reads the live schema.

/** How a table's rows of one client (or one contact) are found. */
export type RowsBy =
  /** `where <column> = ?` */
  | { column: string }
  /** `where <column> in (select id from <table> where <key> = ?)` (sessions by their user's client). */
  | { column: string; in: { table: string; key: string } };

/** What erasing a contact does to the table's rows of that contact. */
export type ContactErasure =
  /** Deleted (explicitly, in the erasure transaction). */
  | { do: 'delete' }
  /** The rows stay (counts, records) with these columns cleared: nothing left names the person. */
  | { do: 'strip'; columns: string[] }
  /** Kept as is: holds only internal ids, which name nobody once the person is gone. */
  | { do: 'keep'; why: string }
  /** Handled by an erasure step (ERASURE_STEPS), e.g. rows found by a keyed hash of the number. */
  | { do: 'step'; step: string };

/**
 * What the purge of a terminated client (policy 5.2: 90 days after termination) does to its rows;
 * absent: deleted. What the law requires to keep longer (issued billing statements, once billing
 * exists) registers `keep` or `strip` here, and survives the purge stripped of the rest.
 */
export type ClientPurge =
  /** The rows stay with these columns set to these values (nothing left names anyone). */
  | { do: 'strip'; set: Record<string, string | number | null>; why: string }
  /** The rows stay as they are (see `why`). */
  | { do: 'keep'; why: string };

export interface PersonalDataTable {
  table: string;
  /** What personal data it holds (docs/PRIVACY.md and the export's schema description). */
  holds: string;
  /** A client's rows; null: install-wide rows that belong to no client (see `why`). */
  byClient: RowsBy | null;
  /** One contact's rows; absent: the table holds no contact's data. */
  byContact?: RowsBy;
  contactErasure?: ContactErasure;
  /** Columns never exported: sealed secrets, key hashes, session tokens. */
  omit?: string[];
  /** Rows never exported (sealed settings): `column = value`. */
  secretRowsWhere?: { column: string; value: string | number };
  /** Derived data (a search index) that follows its source's rows; never exported itself. */
  derivedFrom?: string;
  /** What purging a terminated client does to the rows (absent: delete). */
  clientPurge?: ClientPurge;
  /** Why rows are kept or have no client (for the record). */
  why?: string;
}

/** Files on disk that hold personal data, besides the data file itself. */
export interface PersonalDataFiles {
  name: string;
  /** Under the data directory. */
  under: string;
  holds: string;
  /** The table whose rows name the files (column `path`), if any. */
  table?: string;
  erasure: string;
}

export const PERSONAL_DATA: readonly PersonalDataTable[] = [
  // Client-owned: the account, its members and configuration.
  {
    table: 'clients', holds: 'company name, contact e-mail, phone, invoice address, contact persons', byClient: { column: 'id' },
    clientPurge: {
      do: 'strip', set: { name: '', contact_email: '', phone: '', invoice_address: '', contact_persons: '[]' },
      why: 'the id stays (slug replaced) so that records kept longer by law, and the audit log, still point at a client',
    },
  },
  { table: 'users', holds: 'members: e-mail, name, language', byClient: { column: 'client_id' }, omit: ['password_hash', 'totp_secret', 'totp_last_step'] },
  { table: 'sessions', holds: 'members\' sign-ins: IP address, browser', byClient: { column: 'user_id', in: { table: 'users', key: 'client_id' } }, omit: ['id', 'csrf_token'] },
  { table: 'password_resets', holds: 'members\' reset requests (times only)', byClient: { column: 'user_id', in: { table: 'users', key: 'client_id' } }, omit: ['id'] },
  {
    table: 'login_throttle', holds: 'failed sign-ins by e-mail and IP address', byClient: null,
    why: 'keyed by the e-mail or address typed, before anyone is known; rows expire on their own (auth/throttle.ts)',
  },
  { table: 'support_grants', holds: 'who granted operator support access, why', byClient: { column: 'client_id' } },
  {
    table: 'audit_log', holds: 'who did what (actors by label, subjects by internal id)', byClient: { column: 'client_id' },
    contactErasure: { do: 'keep', why: 'entries name people by internal id only; a member\'s erasure pseudonymises the actor label' },
    clientPurge: { do: 'keep', why: 'the audit log keeps that things happened (not what was deleted); members\' labels are pseudonymised' },
  },
  { table: 'settings', holds: 'client settings (auto-reply text, …)', byClient: { column: 'client_id' }, secretRowsWhere: { column: 'sealed', value: 1 } },
  { table: 'api_keys', holds: 'key labels and who made them', byClient: { column: 'client_id' }, omit: ['key_hash'] },
  { table: 'webhooks', holds: 'webhook target URLs', byClient: { column: 'client_id' }, omit: ['secret'] },
  {
    table: 'webhook_deliveries', holds: 'event bodies sent to webhooks (messages, contact details)', byClient: { column: 'client_id' },
    byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' },
  },
  { table: 'channel_accounts', holds: 'connected numbers and accounts: phone, profile name', byClient: { column: 'client_id' }, omit: ['credentials', 'public_token'] },
  {
    table: 'whatsapp_auth_keys', holds: 'WhatsApp session: creds, signal sessions, device lists, LID mappings (sealed, numbers as keyed hashes)',
    byClient: { column: 'client_id' }, omit: ['value', 'key_hash', 'subject_hash'], contactErasure: { do: 'step', step: 'whatsapp-session-keys' },
  },
  { table: 'ai_settings', holds: 'AI instructions, facts, FAQ', byClient: { column: 'client_id' }, omit: ['api_key'] },
  { table: 'transfer_consents', holds: 'authorisations of transfers abroad, by member', byClient: { column: 'client_id' } },
  { table: 'usage_events', holds: 'usage counts for billing (no person)', byClient: { column: 'client_id' } },
  { table: 'chatwoot_accounts', holds: 'the client\'s Chatwoot connection: URL, account id (token and secret sealed)', byClient: { column: 'client_id' }, omit: ['api_token', 'webhook_secret'] },
  { table: 'chatwoot_inboxes', holds: 'which Chatwoot inbox mirrors each channel account', byClient: { column: 'client_id' }, omit: ['webhook_token', 'secret'] },
  {
    table: 'chatwoot_links', holds: 'id map: our contacts, conversations and messages ↔ Chatwoot\'s ids', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' },
    contactErasure: { do: 'step', step: 'chatwoot-contact' },
  },
  { table: 'chatwoot_seen', holds: 'which Chatwoot webhook deliveries were received (ids only)', byClient: { column: 'client_id' } },
  { table: 'pending_logins', holds: 'Facebook and Instagram logins in progress (15 minutes; tokens sealed)', byClient: { column: 'client_id' }, omit: ['state_hash', 'login'] },
  { table: 'usage_daily', holds: 'daily usage counters per channel and kind (no person)', byClient: { column: 'client_id' } },
  { table: 'billing_plan_assignments', holds: 'which plan the client is on, from when', byClient: { column: 'client_id' } },
  { table: 'billing_details', holds: 'billing details: company, BIN, invoice address, billing e-mail', byClient: { column: 'client_id' } },
  { table: 'billing_quota_notices', holds: 'which quota warnings were sent (no person)', byClient: { column: 'client_id' } },
  {
    table: 'statements', holds: 'issued monthly statements: the company\'s legal name, BIN, invoice address, amounts (no person)', byClient: { column: 'client_id' },
    clientPurge: { do: 'keep', why: 'issued statements are accounting records the law requires to keep longer; they hold company details only, and cannot be changed once issued' },
  },
  { table: 'automation_rules', holds: 'the client’s automation rules (names, keywords, template codes)', byClient: { column: 'client_id' } },
  { table: 'response_templates', holds: 'the client’s response templates (texts)', byClient: { column: 'client_id' } },
  { table: 'business_hours', holds: 'the client’s business hours', byClient: { column: 'client_id' } },
  { table: 'automation_firings', holds: 'when rules acted in a conversation, the last hour only (internal ids)', byClient: { column: 'client_id' } },
  { table: 'conversation_openings', holds: 'which message opened a conversation (internal ids)', byClient: { column: 'client_id' } },
  { table: 'policy_acceptances', holds: 'which owner accepted which policy version (by internal id)', byClient: { column: 'client_id' } },
  { table: 'breach_clients', holds: 'which breaches of the register affect the client', byClient: { column: 'client_id' } },
  { table: 'privacy_requests', holds: 'the register of privacy requests (people by internal id)', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' },
    contactErasure: { do: 'keep', why: 'the record that the request was answered; it names the person by internal id only' }, omit: ['download_path'] },

  // Contact-owned: the people who write to the client.
  { table: 'contacts', holds: 'name, phone, tags, restriction/objection/minor marks', byClient: { column: 'client_id' }, byContact: { column: 'id' }, contactErasure: { do: 'delete' } },
  { table: 'contact_identities', holds: 'WhatsApp JID and LID, Instagram id and username, phone, sandbox id', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' } },
  { table: 'conversations', holds: 'threads with a contact', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' } },
  { table: 'messages', holds: 'message text, attachment metadata', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' } },
  { table: 'attachments', holds: 'media metadata (files on disk: PERSONAL_DATA_FILES)', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' }, omit: ['path'] },
  { table: 'sandbox_deliveries', holds: 'which replies reached a sandbox customer', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' } },
  { table: 'whatsapp_first_contacts', holds: 'contacts a number wrote to first, per day', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' } },
  { table: 'ai_conversations', holds: 'AI summaries of older turns', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' } },
  {
    table: 'ai_calls', holds: 'AI usage per call (counts, no text)', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' },
    contactErasure: { do: 'strip', columns: ['contact_id', 'conversation_id'] }, why: 'usage counts stay for billing, without the person',
  },
  { table: 'jobs', holds: 'pending work about a person (replies, deliveries)', byClient: { column: 'client_id' }, byContact: { column: 'contact_id' }, contactErasure: { do: 'delete' }, omit: ['payload'] },

  // Derived: the full-text search indexes (secure-delete on; erasure also optimises them).
  { table: 'messages_fts', holds: 'search index of message text', byClient: null, derivedFrom: 'messages', why: 'follows messages through triggers' },
  { table: 'messages_fts_pending', holds: 'row ids of messages not yet indexed (no text)', byClient: null, derivedFrom: 'messages', why: 'row ids only' },
  { table: 'contacts_fts', holds: 'search index of contact names and phones', byClient: null, derivedFrom: 'contacts', why: 'follows contacts through triggers' },
];

/** Tables that hold no personal data (the schema test requires every table to be in one list or the other). */
export const NOT_PERSONAL_DATA: Readonly<Record<string, string>> = {
  vault_keys: 'key ids and check values of the master key',
  schema_migrations: 'which migrations ran',
  usage_rollup_marks: 'how far the usage rollup has read (a row id)',
  billing_plans: 'the operator\'s plans: names, prices, included amounts',
  backup_runs: 'off-site backup uploads and restore drills: times, object names, sizes, errors (the backups themselves are ciphertext in the operator\'s storage)',
  policy_versions: 'the operator\'s policy texts and effective dates',
  processing_activities: 'the operator\'s own record of processing activities (GDPR Art. 30): descriptions, no person',
  breaches: 'the operator\'s breach register: what happened and when (clients by breach_clients, people never)',
};

export const PERSONAL_DATA_FILES: readonly PersonalDataFiles[] = [
  { name: 'attachments', under: 'attachments', holds: 'media and files sent and received', table: 'attachments', erasure: 'deleted by the erasure job after the transaction commits' },
  {
    name: 'backups', under: 'backups', holds: 'copies of the whole data file',
    erasure: 'not rewritten: an erased person stays in older backups until they rotate out (the erasure record says when: backups_expire_at)',
  },
];

/** The registry entry of a table; undefined when it is not registered. */
export function personalDataOf(table: string): PersonalDataTable | undefined {
  return PERSONAL_DATA.find((t) => t.table === table);
}
