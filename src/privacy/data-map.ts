// The data map of a client (transparency, policy sections 3 to 6 and 9): which categories of data
// Habar keeps, why, for how long, and every outside party the client's configuration actually
// sends data to. Recipients come from a registry: one source per room that can send data out,
// each written in its room (recipients.ts in ai/, channels/, webhooks/, chatwoot/, mail/, backups/).
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { DataRecipient } from '../lib/data-recipient.ts';
import { aiRecipients } from '../ai/index.ts';
import { channelRecipients } from '../channels/index.ts';
import { webhookRecipients } from '../webhooks/index.ts';
import { smtpRecipients } from '../mail/index.ts';
import { chatwootRecipients } from '../chatwoot/index.ts';
import { backupRecipients } from '../backups/index.ts';
import { storedSettings } from '../settings/index.ts';
import { RETENTION_DAYS_SETTING } from './retention.ts';
import { purgeAfterDays } from './purge.ts';

export type { DataRecipient, RecipientKind } from '../lib/data-recipient.ts';
export { presumedAbroad } from '../lib/data-recipient.ts';

export interface DataCategory {
  name: string;
  purpose: string;
  /** null: kept while the account is active (deleted 90 days after termination). */
  retentionDays: number | null;
}

export type RecipientSource = (deps: { db: Db; vault: Vault }, clientId: string) => Promise<DataRecipient[]>;

/** Every source of recipients, one per room that sends data out; a new room that sends data out adds its source here. */
export const DATA_RECIPIENTS: RecipientSource[] = [
  ({ db }, clientId) => aiRecipients(db, clientId),
  ({ db }, clientId) => channelRecipients(db, clientId),
  ({ db }, clientId) => webhookRecipients(db, clientId),
  ({ db }, clientId) => chatwootRecipients(db, clientId),
  ({ db, vault }) => smtpRecipients(db, vault),
  ({ db, vault }) => backupRecipients(db, vault),
];

/** The categories of data kept for every client (policy sections 3.1 to 3.3) and their purposes (4.1). */
export const DATA_CATEGORIES: readonly DataCategory[] = [
  { name: 'account', purpose: 'account management: company name, contact e-mail, phone, invoice address, contact persons', retentionDays: null },
  { name: 'members', purpose: 'authentication and access: members’ names, e-mails, password hashes, sessions', retentionDays: null },
  { name: 'channel_connections', purpose: 'service delivery: WhatsApp sessions and Instagram tokens (sealed), account ids and profiles', retentionDays: null },
  { name: 'chat_history', purpose: 'service delivery: conversations and messages, media', retentionDays: null },
  { name: 'contacts', purpose: 'service delivery: customers’ names, numbers, usernames, profile pictures', retentionDays: null },
  { name: 'configuration', purpose: 'service delivery: AI settings, FAQ, automatic replies, webhooks', retentionDays: null },
  { name: 'usage', purpose: 'billing: message and API call counts, AI usage', retentionDays: null },
  { name: 'audit_log', purpose: 'security and legal compliance: who did what, subjects by internal id', retentionDays: null },
];

export interface DataMap {
  categories: DataCategory[];
  recipients: DataRecipient[];
  /** Days after termination when everything of the client is purged (privacy.purge_after_days). */
  purgeAfterDays: number;
}

/** The client's data map: the categories and every recipient its configuration sends data to. */
export async function dataMapOf(deps: { db: Db; vault: Vault }, clientId: string, sources: readonly RecipientSource[] = DATA_RECIPIENTS): Promise<DataMap> {
  const recipients = (await Promise.all(sources.map((s) => s(deps, clientId)))).flat();
  // Chat history is deleted after the client's retention period when one is set (privacy.retention_days).
  const retention = (await storedSettings(deps.db, [RETENTION_DAYS_SETTING], clientId)).get(RETENTION_DAYS_SETTING);
  const categories = DATA_CATEGORIES.map((c) => (c.name === 'chat_history' && retention ? { ...c, retentionDays: Number(retention) } : { ...c }));
  return { categories, recipients, purgeAfterDays: await purgeAfterDays(deps.db) };
}
