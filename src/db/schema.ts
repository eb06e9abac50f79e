import type { Generated } from 'kysely';

// Row types as kysely sees them. Each migration that adds a table adds its interface here.
// Times are ISO 8601 UTC text; booleans are 0/1 integers; JSON is text.

export interface ClientsTable {
  id: string;
  slug: string;
  name: string;
  contact_email: Generated<string>;
  phone: Generated<string>;
  invoice_address: Generated<string>;
  contact_persons: Generated<string>;
  timezone: Generated<string>;
  require_totp: Generated<number>;
  status: Generated<string>;
  terminated_at: string | null;
  /** When the terminated client's data was purged (0015); the row stays as a stripped tombstone. */
  purged_at: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  client_id: string | null;
  email: string;
  name: Generated<string>;
  role: string;
  password_hash: string | null;
  must_change_password: Generated<number>;
  language: Generated<string>;
  totp_secret: string | null;
  totp_enabled: Generated<number>;
  /** The last TOTP time step accepted (0004), so a code is never accepted twice. */
  totp_last_step: number | null;
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
  /** When the person hid the dashboard's first steps (0020); null while they are shown. */
  first_steps_dismissed_at: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  totp_pending: Generated<number>;
  ip: Generated<string>;
  user_agent: Generated<string>;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  blocked_until: string | null;
  updated_at: string;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface SupportGrantsTable {
  id: string;
  client_id: string;
  granted_by: string;
  reason: Generated<string>;
  starts_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_label: Generated<string>;
  action: string;
  client_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: Generated<string>;
  details: Generated<string>;
}

export interface SettingsTable {
  client_id: string;
  key: string;
  value: string;
  sealed: Generated<number>;
  updated_at: string;
}

export interface VaultKeysTable {
  key_id: string;
  check_value: string;
  active: Generated<number>;
  created_at: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface ApiKeysTable {
  id: string;
  client_id: string;
  label: Generated<string>;
  /** The key's first characters, shown to recognise it ("hbr_abc123…"). */
  prefix: string;
  /** sha256 (hex) of the whole key; the key itself is never stored. */
  key_hash: string;
  created_by: Generated<string>;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface WebhooksTable {
  id: string;
  client_id: string;
  url: string;
  /** JSON array of event names. */
  events: Generated<string>;
  /** Sealed (context "webhooks.secret"). */
  secret: string;
  active: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  client_id: string;
  webhook_id: string;
  contact_id: string | null;
  event: string;
  /** The exact JSON body sent (signed as is). */
  payload: string;
  /** pending | delivered | failed (will retry) | dead (gave up) */
  status: Generated<string>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

// 0002 messaging: channel accounts, contacts, conversations, messages, jobs, usage events.

export interface ChannelAccountsTable {
  id: string;
  client_id: string;
  /** sandbox | whatsapp | instagram */
  kind: string;
  name: string;
  /** connecting | qr | connected | disconnected | logged_out | qr_expired | reconnect_needed | error */
  status: Generated<string>;
  last_error: string | null;
  /** Sealed (context "channel_accounts.credentials"). */
  credentials: string | null;
  /** Sandbox: the customer page's unguessable token. */
  public_token: string | null;
  settings: Generated<string>;
  status_at: string | null;
  /** The account's number on its platform once paired (WhatsApp). */
  phone: string | null;
  /** The account's profile name on its platform once paired. */
  profile_name: string | null;
  /** Soft-deleted: hidden from lists and the API; its conversations stay readable. */
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: string;
  client_id: string;
  display_name: Generated<string>;
  phone: string | null;
  /** JSON array of strings. */
  tags: Generated<string>;
  restricted: Generated<number>;
  objected: Generated<number>;
  minor: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ContactIdentitiesTable {
  id: string;
  client_id: string;
  contact_id: string;
  channel_account_id: string;
  /** phone | wa_jid | wa_lid | ig_id | username | sandbox */
  kind: string;
  value: string;
  created_at: string;
}

export interface ConversationsTable {
  id: string;
  client_id: string;
  contact_id: string;
  channel_account_id: string;
  /** open | pending | resolved */
  status: Generated<string>;
  assignee_user_id: string | null;
  /** active | paused | handed_off | off */
  ai_state: Generated<string>;
  ai_paused_until: string | null;
  unread_count: Generated<number>;
  last_activity_at: string;
  last_inbound_at: string | null;
  last_auto_reply_at: string | null;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: string;
  client_id: string;
  contact_id: string;
  conversation_id: string;
  channel_account_id: string;
  /** in | out */
  direction: string;
  /** contact | agent | ai | rule | system */
  author_kind: string;
  author_user_id: string | null;
  platform_message_id: string | null;
  text: Generated<string>;
  /** JSON array of attachment metadata. */
  attachments: Generated<string>;
  /** queued | sent | delivered | read | failed */
  status: string;
  error: string | null;
  in_flight_at: string | null;
  uncertain: Generated<number>;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  /** The customer edited the message on the platform (text is the new one). */
  edited_at: string | null;
  /** The customer deleted (revoked) the message on the platform. */
  deleted_at: string | null;
  /** An outbound message's answer to a message of the same conversation (quoted on the platform). */
  reply_to_message_id: string | null;
  /** A failure's reason as JSON {key, params} (a catalog key), beside `error`'s English text. */
  error_reason: string | null;
  updated_at: string;
}

export interface AttachmentsTable {
  id: string;
  client_id: string;
  contact_id: string | null;
  message_id: string | null;
  file_name: string;
  /** Relative to <data-dir>/attachments. */
  path: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: string;
}

export interface JobsTable {
  id: string;
  client_id: string | null;
  contact_id: string | null;
  conversation_id: string | null;
  kind: string;
  payload: Generated<string>;
  idempotency_key: string | null;
  queue_key: string | null;
  rate_key: string | null;
  /** pending | running | done | dead */
  status: Generated<string>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: string;
  lease_until: string | null;
  last_error: string | null;
  every_ms: number | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface UsageEventsTable {
  id: string;
  client_id: string;
  /** inbound_message | outbound_message | api_call | … */
  kind: string;
  channel_account_id: string | null;
  quantity: Generated<number>;
  meta: Generated<string>;
  at: string;
}

export interface SandboxDeliveriesTable {
  message_id: string;
  client_id: string;
  channel_account_id: string;
  conversation_id: string;
  /** 0014: the person it was delivered to (erasure and export find it by them). */
  contact_id: string | null;
  calls: Generated<number>;
  delivered_at: string;
}

// 0005_ai: the AI assistant.
export interface AiSettingsTable {
  client_id: string;
  enabled: Generated<number>;
  provider: Generated<string>;
  base_url: string | null;
  located_in_kazakhstan: Generated<number>;
  model: Generated<string>;
  api_key: string | null;
  instructions: Generated<string>;
  facts: Generated<string>;
  faq: Generated<string>;
  languages: Generated<string>;
  handoff_keywords: Generated<string>;
  redact: Generated<number>;
  debounce_seconds: Generated<number>;
  resume_after_minutes: Generated<number>;
  disclosure: string | null;
  fallback_text: Generated<string>;
  reply_length: Generated<string>;
  channel_ids: Generated<string>;
  transcribe_voice: Generated<number>;
  transcription_model: Generated<string>;
  stop_keywords: string | null;
  start_keywords: string | null;
  faq_synonyms: Generated<string>;
  provider_status: Generated<string>;
  provider_error: string | null;
  provider_error_at: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface TransferConsentsTable {
  id: string;
  client_id: string;
  provider: string;
  destination: Generated<string>;
  policy_version: string;
  recorded_by: string;
  recorded_by_label: Generated<string>;
  recorded_at: string;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
}

export interface AiCallsTable {
  id: string;
  client_id: string;
  conversation_id: string | null;
  /** 0014: the person the call was about; null once they are erased (the count stays). */
  contact_id: Generated<string | null>;
  kind: string;
  provider: string;
  model: Generated<string>;
  tokens_in: Generated<number>;
  tokens_out: Generated<number>;
  latency_ms: Generated<number>;
  attempts: Generated<number>;
  outcome: string;
  error_code: string | null;
  cost_micros: Generated<number>;
  playground: Generated<number>;
  at: string;
}

export interface AiConversationsTable {
  conversation_id: string;
  client_id: string;
  contact_id: string;
  summary: string | null;
  summary_through_id: string | null;
  disclosed_at: string | null;
  failures: Generated<number>;
  handoff_reason: string | null;
  handed_off_at: string | null;
  first_ai_reply_at: string | null;
  resumed_at: string | null;
  updated_at: string;
}

/**
 * Row ids of messages not yet in the full-text index messages_fts (migration 0008): the insert
 * trigger adds them, messaging/search-index.ts indexes them in bulk and removes them.
 */
export interface MessagesFtsPendingTable {
  rowid: number;
}

/** A client's automation rule: `definition` is the JSON {trigger, conditions, actions} (automation/rule-schema.ts). */
export interface AutomationRulesTable {
  id: string;
  client_id: string;
  position: number;
  name: string;
  enabled: Generated<number>;
  definition: string;
  fired_count: Generated<number>;
  last_fired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResponseTemplatesTable {
  id: string;
  client_id: string;
  position: number;
  code: string;
  /** JSON {"ru", "kk", "en"}. */
  texts: string;
  created_at: string;
  updated_at: string;
}

export interface BusinessHoursTable {
  client_id: string;
  /** JSON {"mon": [["09:00", "18:00"]], ...}; a day absent or [] is closed. */
  week: Generated<string>;
  /** JSON ["2026-12-16", ...]. */
  holidays: Generated<string>;
  out_of_hours_template: string | null;
  /** Bumped by every change of the client's rules, templates or hours (the evaluator's cache key). */
  revision: Generated<number>;
  updated_at: string;
}

export interface AutomationFiringsTable {
  id: string;
  client_id: string;
  conversation_id: string;
  fired_at: string;
}

export interface ConversationOpeningsTable {
  conversation_id: string;
  client_id: string;
  /** The inbound message that opened or reopened the conversation. */
  message_id: string;
}

export interface DB {
  clients: ClientsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  password_resets: PasswordResetsTable;
  support_grants: SupportGrantsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  vault_keys: VaultKeysTable;
  schema_migrations: SchemaMigrationsTable;
  api_keys: ApiKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  channel_accounts: ChannelAccountsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  jobs: JobsTable;
  usage_events: UsageEventsTable;
  sandbox_deliveries: SandboxDeliveriesTable;
  ai_settings: AiSettingsTable;
  transfer_consents: TransferConsentsTable;
  ai_calls: AiCallsTable;
  ai_conversations: AiConversationsTable;
  messages_fts_pending: MessagesFtsPendingTable;
  whatsapp_auth_keys: WhatsappAuthKeysTable;
  whatsapp_first_contacts: WhatsappFirstContactsTable;
  automation_rules: AutomationRulesTable;
  response_templates: ResponseTemplatesTable;
  business_hours: BusinessHoursTable;
  automation_firings: AutomationFiringsTable;
  conversation_openings: ConversationOpeningsTable;
  privacy_requests: PrivacyRequestsTable;
  usage_daily: UsageDailyTable;
  usage_rollup_marks: UsageRollupMarksTable;
  billing_plans: BillingPlansTable;
  billing_plan_assignments: BillingPlanAssignmentsTable;
  billing_details: BillingDetailsTable;
  billing_quota_notices: BillingQuotaNoticesTable;
  statements: StatementsTable;
  chatwoot_accounts: ChatwootAccountsTable;
  chatwoot_inboxes: ChatwootInboxesTable;
  chatwoot_links: ChatwootLinksTable;
  chatwoot_seen: ChatwootSeenTable;
  backup_runs: BackupRunsTable;
  pending_logins: PendingLoginsTable;
  policy_versions: PolicyVersionsTable;
  policy_acceptances: PolicyAcceptancesTable;
  breaches: BreachesTable;
  breach_clients: BreachClientsTable;
  processing_activities: ProcessingActivitiesTable;
}

/** 0014: the register of privacy requests (privacy/requests.ts). */
export interface PrivacyRequestsTable {
  id: string;
  client_id: string;
  /** The person's internal id (not a foreign key: the record outlives them); null for a whole-client request. */
  contact_id: string | null;
  /** client_export | contact_export | erasure | restriction | objection | restriction_lifted | objection_lifted */
  kind: string;
  /** received | running | done | failed */
  status: Generated<string>;
  progress: Generated<number>;
  /** contact | member | api_key | operator | system */
  requester_kind: string;
  requester_id: string | null;
  received_at: string;
  /** YYYY-MM-DD in the client's time zone. */
  due_date: string;
  completed_at: string | null;
  /** JSON: what was done (counts per table, files, remote parties); never personal data. */
  evidence: Generated<string>;
  error: string | null;
  download_path: string | null;
  expires_at: string | null;
  backups_expire_at: string | null;
  updated_at: string;
}

/** Off-site backup uploads, restore drills and notices (backups/runs.ts). */
export interface BackupRunsTable {
  id: string;
  kind: 'upload' | 'drill' | 'notice';
  status: 'running' | 'ok' | 'failed';
  started_at: string;
  finished_at: string | null;
  object_key: string | null;
  bytes_done: Generated<number>;
  bytes_total: Generated<number>;
  error: string | null;
  /** JSON */
  details: Generated<string>;
}

/** Facebook / Instagram logins between Meta's dialog and the account picked (channels/instagram/pending-logins.ts). */
export interface PendingLoginsTable {
  /** sha256 of the OAuth `state` (the state itself is only in the URL). */
  state_hash: string;
  /** facebook | instagram */
  flow: string;
  session_id: string;
  client_id: string;
  /** Sealed (context "pending_logins.login"): the user token and the Pages' tokens, after the code exchange. */
  login: string | null;
  created_at: string;
}

/** WhatsApp auth state: creds and signal keys, one sealed row each (channels/whatsapp/auth-state.ts). */
export interface WhatsappAuthKeysTable {
  channel_account_id: string;
  client_id: string;
  /** creds | hash-key | a Baileys signal key type (session, pre-key, lid-mapping, …) */
  type: string;
  /** Keyed hash of Baileys' key id ('' for creds and the hash key). */
  key_hash: string;
  /** Keyed hash of the number the key id names (sessions, device lists, LID mappings); erasure deletes by it. */
  subject_hash: string | null;
  /** Sealed (context "whatsapp_auth_keys.value"): Baileys' BufferJSON of the value. */
  value: string;
  updated_at: string;
}

/** Contacts a WhatsApp number wrote to before they ever wrote (the daily cap on first messages). */
export interface WhatsappFirstContactsTable {
  channel_account_id: string;
  contact_id: string;
  client_id: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
}

/** Daily usage counters (0018): one per client, client-local day, channel ('' for none) and API kind. */
export interface UsageDailyTable {
  client_id: string;
  day: string;
  channel_account_id: string;
  kind: string;
  quantity: number;
}

export interface UsageRollupMarksTable {
  id: number;
  last_rowid: number;
  updated_at: string;
}

/** Plans (0018): money in minor units of `currency`; included amounts null = unlimited. */
export interface BillingPlansTable {
  id: string;
  name: string;
  currency: Generated<string>;
  monthly_price_minor: Generated<number>;
  included_messages: number | null;
  included_ai_replies: number | null;
  included_ai_tokens: number | null;
  included_api_calls: number | null;
  included_channels: number | null;
  overage_message_minor: Generated<number>;
  overage_ai_reply_minor: Generated<number>;
  overage_ai_tokens_minor: Generated<number>;
  overage_api_calls_minor: Generated<number>;
  overage_channel_minor: Generated<number>;
  /** bill | stop_ai */
  on_limit: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface BillingPlanAssignmentsTable {
  id: string;
  client_id: string;
  plan_id: string | null;
  starts_on: string;
  created_at: string;
}

export interface BillingDetailsTable {
  client_id: string;
  legal_name: Generated<string>;
  bin: Generated<string>;
  invoice_address: Generated<string>;
  email: Generated<string>;
  updated_at: string;
}

export interface BillingQuotaNoticesTable {
  client_id: string;
  period_start: string;
  metric: string;
  threshold: number;
  at: string;
}

/** Issued statements (0018): immutable (triggers refuse UPDATE and DELETE). */
export interface StatementsTable {
  id: string;
  number: string;
  year: number;
  seq: number;
  client_id: string;
  period_start: string;
  period_end: string;
  issued_at: string;
  currency: string;
  total_minor: number;
  corrects: string | null;
  document: string;
}

/** A client's Chatwoot connection (migration 0017); the secrets sealed (context "chatwoot_accounts.<column>"). */
export interface ChatwootAccountsTable {
  client_id: string;
  url: string;
  account_id: number;
  api_token: string | null;
  webhook_secret: string | null;
  sign_agent_name: Generated<number>;
  resume_ai_on_resolve: Generated<number>;
  /** Set by a successful Connect; null: configured, not connected (nothing is mirrored). */
  connected_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  last_ok_at: string | null;
  updated_at: string;
}

/** The Chatwoot API-channel inbox of a channel account; `secret` (sealed) signs its webhooks (Chatwoot 4.13+). */
export interface ChatwootInboxesTable {
  channel_account_id: string;
  client_id: string;
  inbox_id: number;
  webhook_token: string;
  secret: string | null;
  created_at: string;
}

/** Our contact / conversation / message ↔ Chatwoot's id, unique both ways per client and kind. */
export interface ChatwootLinksTable {
  client_id: string;
  kind: string;
  local_id: string;
  remote_id: number;
  contact_id: string | null;
  created_at: string;
}

/** Webhook deliveries and messages already received from Chatwoot (dedupe), pruned after a while. */
export interface ChatwootSeenTable {
  client_id: string;
  key: string;
  seen_at: string;
}
/** 0022: the operator's privacy-policy versions (privacy/policy-versions.ts). */
export interface PolicyVersionsTable {
  id: string;
  /** Markdown, as the operator wrote it. */
  body: string;
  /** YYYY-MM-DD in operator.timezone. */
  effective_date: string;
  significant: Generated<number>;
  published_at: string;
  published_by: string | null;
}

/** 0022: an owner's acceptance of a policy version. */
export interface PolicyAcceptancesTable {
  id: string;
  policy_version_id: string;
  client_id: string;
  /** The owner's internal id (not a foreign key: the record outlives the member). */
  user_id: string;
  accepted_at: string;
}

/** 0022: the breach register (privacy/breaches.ts). */
export interface BreachesTable {
  id: string;
  detected_at: string;
  description: string;
  authority_notified_at: string | null;
  clients_notified_at: string | null;
  recorded_by: string | null;
  recorded_at: string;
}

/** 0022: which clients a breach affects. */
export interface BreachClientsTable {
  breach_id: string;
  client_id: string;
}

/** 0022: the operator's own entries in its record of processing activities (GDPR Art. 30). */
export interface ProcessingActivitiesTable {
  id: string;
  name: string;
  purpose: string;
  data_categories: Generated<string>;
  data_subjects: Generated<string>;
  recipients: Generated<string>;
  transfers: Generated<string>;
  retention: Generated<string>;
  security: Generated<string>;
  created_at: string;
}
