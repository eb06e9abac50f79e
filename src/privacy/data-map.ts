// The data map of a client (transparency, policy sections 3 to 6 and 9): which categories of data
// Habar keeps, why, for how long, and every outside party the client's configuration actually
// sends data to. Recipients come from a registry: one source per room that can send data out.
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { getAiSettings } from '../ai/index.ts';
import { CHANNEL_DRIVERS, listChannelAccounts } from '../channels/index.ts';
import { listWebhooks } from '../webhooks/index.ts';
import { readSmtpConfig } from '../mail/index.ts';

export type RecipientKind = 'ai' | 'whatsapp' | 'instagram' | 'chatwoot' | 'webhook' | 'smtp' | 'backup';

export interface DataRecipient {
  kind: RecipientKind;
  name: string;
  url: string;
  /** Whether data leaves Kazakhstan (policy section 9). */
  abroad: boolean;
}

export interface DataCategory {
  name: string;
  purpose: string;
  /** null: kept while the account is active (deleted 90 days after termination). */
  retentionDays: number | null;
}

export type RecipientSource = (deps: { db: Db; vault: Vault }, clientId: string) => Promise<DataRecipient[]>;

/**
 * Where an address we cannot place is presumed: abroad, unless its host is under .kz / .қаз or is a
 * loopback or private address (the same server or the client's own network).
 */
export function presumedAbroad(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return true;
  }
  if (/(^|\.)(kz|қаз|xn--80ao21a)$/.test(host) || host === 'localhost') return false;
  return !/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|fc|fd)/.test(host);
}

const aiRecipients: RecipientSource = async ({ db }, clientId) => {
  const s = await getAiSettings(db, clientId);
  if (!s.enabled || s.provider === 'faq') return [];
  if (s.provider === 'openai') return [{ kind: 'ai', name: 'OpenAI', url: s.baseUrl ?? 'https://api.openai.com/v1', abroad: true }];
  return [{ kind: 'ai', name: s.model || 'OpenAI-compatible', url: s.baseUrl ?? '', abroad: !s.locatedInKazakhstan }];
};

const channelRecipients: RecipientSource = async ({ db }, clientId) => {
  const out: DataRecipient[] = [];
  for (const a of await listChannelAccounts(db, clientId)) {
    const r = CHANNEL_DRIVERS.find((d) => d.kind === a.kind)?.dataRecipient;
    if (r && !a.deletedAt) out.push({ kind: r.kind, name: `${r.platform}: ${a.name}`, url: r.url, abroad: r.abroad });
  }
  return out;
};

const webhookRecipients: RecipientSource = async ({ db }, clientId) =>
  (await listWebhooks(db, clientId)).filter((w) => w.active).map((w) => ({ kind: 'webhook', name: new URL(w.url).host, url: w.url, abroad: presumedAbroad(w.url) }));

const smtpRecipients: RecipientSource = async ({ db, vault }) => {
  const smtp = await readSmtpConfig(db, vault);
  if (!smtp) return [];
  const url = `smtp://${smtp.host}:${smtp.port}`;
  return [{ kind: 'smtp', name: smtp.host, url, abroad: presumedAbroad(`http://${smtp.host}`) }];
};

/** Every source of recipients, one per room that sends data out. The Chatwoot and backup rooms add theirs here. */
export const DATA_RECIPIENTS: RecipientSource[] = [aiRecipients, channelRecipients, webhookRecipients, smtpRecipients];

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
}

/** The client's data map: the categories and every recipient its configuration sends data to. */
export async function dataMapOf(deps: { db: Db; vault: Vault }, clientId: string, sources: readonly RecipientSource[] = DATA_RECIPIENTS): Promise<DataMap> {
  const recipients = (await Promise.all(sources.map((s) => s(deps, clientId)))).flat();
  return { categories: [...DATA_CATEGORIES], recipients };
}
