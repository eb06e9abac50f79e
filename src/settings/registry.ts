import { badRequest } from '../lib/errors.ts';
import { charLength } from '../lib/text.ts';
import { CARD_NUMBER_MESSAGE, containsCardNumber } from '../lib/card-number.ts';

export interface SettingSpec {
  key: string;
  /** 'global' settings belong to the install; 'client' ones to one client. */
  scope: 'global' | 'client';
  secret?: boolean;
  /** The allowed values, when there are few (the settings form shows a choice instead of a text field). */
  choices?: readonly string[];
  help: string;
  /** The value in force while the setting is unset (what its reader assumes); reads show it. */
  default?: string;
  /** Returns the normalised value or throws a field error. */
  parse(value: string): string;
}

// Each parse error has a code (and params) for a translated message: `validation.<code>`.
const text = (max = 500) => (v: string) => {
  if (charLength(v) > max) throw badRequest(`At most ${max} characters`, undefined, 'setting_too_long', { max });
  return v.trim();
};
const bool = (v: string) => {
  if (/^(1|true|yes|on)$/i.test(v)) return 'true';
  if (/^(0|false|no|off)$/i.test(v)) return 'false';
  throw badRequest('Expected true or false', undefined, 'setting_boolean');
};
const int = (min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw badRequest(`Expected a whole number from ${min} to ${max}`, undefined, 'setting_number', { min, max });
  return String(Number(v));
};
const oneOf = (choices: readonly string[]) => (v: string) => {
  if (!choices.includes(v)) throw badRequest(`Expected ${choices.join(', ')}`, undefined, 'setting_choice', { choices: choices.join(', ') });
  return v;
};

const baseUrl = (v: string) => {
  const u = v.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(u) || u.length > 300) throw badRequest('Expected a full http(s) URL without a query, e.g. https://graph.facebook.com', undefined, 'setting_url');
  return u;
};
const s3Endpoint = (v: string) => {
  const u = v.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/?#]+$/.test(u) || u.length > 300) throw badRequest('Expected the storage address as http(s)://host[:port], e.g. https://s3.example.kz', undefined, 'setting_s3_endpoint');
  return u;
};
const s3Bucket = (v: string) => {
  const b = v.trim();
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b)) throw badRequest('Expected a bucket name: 3-63 lower-case letters, digits, dots and hyphens', undefined, 'setting_bucket');
  return b;
};
const s3Prefix = (v: string) => {
  const p = v.trim();
  if (p.length > 200 || p.startsWith('/') || p.endsWith('/') || /\/\/|[\\\u0000-\u001f]/.test(p)) throw badRequest('Expected a folder path inside the bucket without a leading or trailing slash, e.g. habar/prod', undefined, 'setting_prefix');
  return p;
};

const graphVersion = (v: string) => {
  if (!/^v\d{1,3}\.\d{1,2}$/.test(v.trim())) throw badRequest('Expected a Graph API version such as v21.0', undefined, 'setting_graph_version');
  return v.trim();
};

/** Free text an operator types: refused when it holds a payment card number (lib/card-number.ts). */
const noCard = (max: number) => (v: string) => {
  const t = text(max)(v);
  if (containsCardNumber(t)) throw badRequest(CARD_NUMBER_MESSAGE, undefined, 'card_number');
  return t;
};
const percent = (v: string) => {
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(v.trim())) throw badRequest('Expected a percentage from 0 to 99.99, e.g. 12', undefined, 'setting_percent');
  return String(Number(v.trim()));
};
const timeZone = (v: string) => {
  const z = v.trim();
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
  } catch {
    throw badRequest('Expected an IANA time zone such as Asia/Almaty', undefined, 'setting_time_zone');
  }
  return z;
};

/** Runtime settings, edited in the UI or with `habar settings set`. Other rooms register theirs here. */
export const SETTINGS: SettingSpec[] = [
  { key: 'smtp.host', scope: 'global', help: 'SMTP server for password-reset and notification e-mail', parse: text(255) },
  { key: 'smtp.port', scope: 'global', help: 'SMTP port (587 STARTTLS, 465 TLS, 25)', parse: int(1, 65535) },
  { key: 'smtp.secure', scope: 'global', choices: ['true', 'false'], help: 'Use TLS from the start (port 465)', parse: bool },
  { key: 'smtp.user', scope: 'global', help: 'SMTP user name', parse: text(255) },
  { key: 'smtp.password', scope: 'global', secret: true, help: 'SMTP password (sealed)', parse: text(500) },
  { key: 'smtp.from', scope: 'global', help: 'Sender address, e.g. "Habar <noreply@example.kz>"', parse: text(255) },
  { key: 'security.staff_require_totp', scope: 'global', choices: ['true', 'false'], help: 'Require a TOTP second factor for operator staff', parse: bool },
  { key: 'ui.default_language', scope: 'global', choices: ['ru', 'kk', 'en'], help: 'Language of the login page and of e-mails to addresses that are not members (statements): ru, kk or en', parse: oneOf(['ru', 'kk', 'en']) },
  { key: 'auto_reply.enabled', scope: 'client', choices: ['true', 'false'], default: 'false', help: 'Answer customers automatically when no member of the client is online', parse: bool },
  { key: 'auto_reply.text', scope: 'client', help: 'The automatic answer sent when nobody is online', parse: noCard(4096) },
  { key: 'auto_reply.online_minutes', scope: 'client', default: '10', help: 'A member counts as online when active within this many minutes (default 10)', parse: int(1, 1440) },
  { key: 'auto_reply.repeat_after_minutes', scope: 'client', default: '60', help: 'Send the automatic answer again in the same conversation only after this many minutes (default 60)', parse: int(0, 10080) },
  { key: 'webhooks.allow_private_targets', scope: 'global', choices: ['true', 'false'], help: 'Let outgoing webhooks post to loopback, link-local and private network addresses (default false: refused, against SSRF)', parse: bool },
  { key: 'meta.app_id', scope: 'global', help: 'Meta app id (Facebook Login for Instagram)', parse: text(64) },
  { key: 'meta.app_secret', scope: 'global', secret: true, help: 'Meta app secret (sealed): signs the webhooks and the appsecret_proof', parse: text(200) },
  { key: 'meta.verify_token', scope: 'global', secret: true, help: 'Webhook verify token (sealed): the same text as in the Meta dashboard', parse: text(200) },
  { key: 'meta.graph_url', scope: 'global', default: 'https://graph.facebook.com', help: 'Graph API base URL (a proxy or a stand-in may replace it)', parse: baseUrl },
  { key: 'meta.instagram_url', scope: 'global', default: 'https://graph.instagram.com', help: 'Instagram Graph API base URL (accounts connected with Instagram Login)', parse: baseUrl },
  { key: 'meta.oauth_url', scope: 'global', default: 'https://www.facebook.com', help: 'Base URL of the Facebook login dialog', parse: baseUrl },
  { key: 'meta.instagram_oauth_url', scope: 'global', default: 'https://www.instagram.com', help: 'Base URL of the Instagram login dialog', parse: baseUrl },
  { key: 'meta.instagram_token_url', scope: 'global', default: 'https://api.instagram.com', help: "Base URL of Instagram Login's code exchange", parse: baseUrl },
  { key: 'meta.graph_version', scope: 'global', default: 'v21.0', help: 'Graph API version, e.g. v21.0', parse: graphVersion },
  { key: 'meta.instagram_app_id', scope: 'global', help: 'Instagram app id (Instagram Login, for accounts without a Facebook Page)', parse: text(64) },
  { key: 'meta.instagram_app_secret', scope: 'global', secret: true, help: "Instagram app secret (sealed): also signs those accounts' webhooks", parse: text(200) },
  { key: 'instagram.human_agent_tag', scope: 'client', choices: ['true', 'false'], default: 'false', help: 'Let people answer Instagram customers up to 7 days after their last message (Meta\'s HUMAN_AGENT tag; only for a person\'s replies, never automatic ones)', parse: bool },
  { key: 'privacy.retention_days', scope: 'client', help: 'Delete chat history (messages, their files, emptied conversations) older than this many days, once a day (unset: kept while the account is active)', parse: int(1, 36500) },
  { key: 'privacy.purge_after_days', scope: 'global', default: '90', help: 'Days after a client\'s termination when everything of it is purged (default 90, as the privacy policy promises)', parse: int(1, 3650) },
  { key: 'privacy.export_link_days', scope: 'global', default: '7', help: 'Days an export\'s download link works before it answers 410 expired and the file is deleted (default 7)', parse: int(1, 90) },
  { key: 'billing.operator_name', scope: 'global', help: 'The operator’s company name, printed on statements', parse: noCard(200) },
  { key: 'billing.operator_bin', scope: 'global', help: 'The operator’s BIN (12 digits), printed on statements', parse: noCard(40) },
  { key: 'billing.operator_address', scope: 'global', help: 'The operator’s legal address, printed on statements', parse: noCard(500) },
  { key: 'billing.operator_bank', scope: 'global', help: 'The operator’s bank details (bank, BIC, IBAN), printed on statements', parse: noCard(500) },
  { key: 'billing.vat_percent', scope: 'global', default: '0', help: 'VAT rate in percent added to statements (e.g. 12; default 0)', parse: percent },
  { key: 'chatwoot.allow_private_targets', scope: 'global', choices: ['true', 'false'], help: 'Let a client connect a Chatwoot on a loopback or private network address, also over plain http (default false: https to public addresses only)', parse: bool },
  { key: 'backup.remote.endpoint', scope: 'global', help: 'Off-site backups: the S3-compatible storage address, e.g. https://s3.example.kz or http://127.0.0.1:9000 (a MinIO beside Habar)', parse: s3Endpoint },
  { key: 'backup.remote.region', scope: 'global', help: 'Off-site backups: the storage region (as the provider names it; us-east-1 when it has none)', parse: text(64) },
  { key: 'backup.remote.bucket', scope: 'global', help: 'Off-site backups: the bucket', parse: s3Bucket },
  { key: 'backup.remote.prefix', scope: 'global', help: 'Off-site backups: the folder inside the bucket, without a trailing slash (empty: the top of the bucket)', parse: s3Prefix },
  { key: 'backup.remote.access_key', scope: 'global', help: 'Off-site backups: the access key id', parse: text(128) },
  { key: 'backup.remote.secret_key', scope: 'global', secret: true, help: 'Off-site backups: the secret access key (sealed)', parse: text(256) },
  { key: 'backup.remote.in_kazakhstan', scope: 'global', choices: ['true', 'false'], default: 'false', help: 'Off-site backups: the storage is in Kazakhstan (required to switch them on, unless an exception is recorded)', parse: bool },
  { key: 'backup.remote.exception', scope: 'global', help: 'Off-site backups: the recorded reason for storage outside Kazakhstan', parse: text(1000) },
  { key: 'backup.remote.keep', scope: 'global', default: '7', help: 'Off-site backups: how many to keep (default 7)', parse: int(1, 1000) },
  { key: 'backup.remote.keep_days', scope: 'global', default: '30', help: 'Off-site backups: delete those older than this many days (default 30)', parse: int(1, 3650) },
  { key: 'backup.remote.enabled', scope: 'global', choices: ['true', 'false'], default: 'false', help: 'Upload each scheduled backup, encrypted, to the off-site storage (checked by writing and deleting a test object first)', parse: bool },
  { key: 'sandbox.rate_limit_per_minute', scope: 'global', help: 'Messages a sandbox customer page accepts per minute from one IP address (default 60; the whole link takes ten times as many)', parse: int(1, 1_000_000) },
  { key: 'operator.timezone', scope: 'global', default: 'Asia/Almaty', help: 'The operator\'s time zone: policy effective dates and breach deadlines count in it (default Asia/Almaty)', parse: timeZone },
  { key: 'policy.dpa_template', scope: 'global', help: 'The data processing agreement template (markdown with {{placeholders}}); empty: the built-in one', parse: text(50_000) },
  { key: 'privacy.request_due_days', scope: 'client', default: '30', help: 'Days within which a privacy request (export, erasure, restriction, objection) must be answered (default 30, as the policy promises; set fewer where local law is stricter)', parse: int(1, 365) },
];

export function settingSpec(key: string): SettingSpec | undefined {
  return SETTINGS.find((s) => s.key === key);
}
