import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { randomToken } from '../lib/ids.ts';
import { findChannelAccount, listChannelAccounts, type ChannelAccount } from '../channels/index.ts';
import type { ChatwootClient, RemoteInbox } from './client.ts';

export const INBOX_SECRET_CONTEXT = 'chatwoot_inboxes.secret';

export interface InboxDeps {
  db: Db;
  vault: Vault;
  clock: Clock;
  publicUrl: () => string;
}

/** The unguessable URL Chatwoot posts an inbox's events to. */
export const webhookUrlOf = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, '')}/webhooks/chatwoot/${token}`;
const inboxName = (a: Pick<ChannelAccount, 'name'>) => `Habar: ${a.name}`.slice(0, 100);

export interface StoredInbox {
  channelAccountId: string;
  clientId: string;
  inboxId: number;
  webhookToken: string;
  /** The signing secret Chatwoot returned for the inbox (4.13 and later), opened. */
  secret: string | null;
}

export async function inboxByToken(db: Db, vault: Vault, token: string): Promise<StoredInbox | undefined> {
  const r = await db.selectFrom('chatwoot_inboxes').selectAll().where('webhook_token', '=', token).executeTakeFirst();
  return r && { channelAccountId: r.channel_account_id, clientId: r.client_id, inboxId: r.inbox_id, webhookToken: r.webhook_token, secret: r.secret ? vault.open(r.secret, INBOX_SECRET_CONTEXT) : null };
}

async function storedInbox(db: Db, channelAccountId: string) {
  return db.selectFrom('chatwoot_inboxes').selectAll().where('channel_account_id', '=', channelAccountId).executeTakeFirst();
}

/**
 * The inbox of a channel account: the stored one; else one of Chatwoot's inboxes (`known`, when
 * the caller listed them) with our name, pointed at a fresh webhook URL; else a new API-channel
 * inbox. Its id, token and signing secret are stored before it is used.
 */
export async function ensureInbox(deps: InboxDeps, cw: ChatwootClient, account: Pick<ChannelAccount, 'id' | 'clientId' | 'name'>, known?: RemoteInbox[]): Promise<number> {
  const stored = await storedInbox(deps.db, account.id);
  if (stored) return stored.inbox_id;
  const token = randomToken(24);
  const url = webhookUrlOf(deps.publicUrl(), token);
  const reuse = (known ?? await cw.listInboxes()).find((i) => i.name === inboxName(account));
  const inbox = reuse ? { ...reuse, ...(await cw.updateInboxWebhook(reuse.id, url)) } : await cw.createInbox(inboxName(account), url);
  await deps.db.insertInto('chatwoot_inboxes').values({
    channel_account_id: account.id, client_id: account.clientId, inbox_id: inbox.id, webhook_token: token,
    secret: inbox.secret ? deps.vault.seal(inbox.secret, INBOX_SECRET_CONTEXT) : null, created_at: deps.clock.now().toISOString(),
  }).onConflict((oc) => oc.doNothing()).execute();
  return (await storedInbox(deps.db, account.id))!.inbox_id;
}

/** The inbox of a channel account by its id (made on first use for a channel added after Connect). */
export async function inboxFor(deps: InboxDeps, cw: ChatwootClient, channelAccountId: string): Promise<number> {
  const stored = await storedInbox(deps.db, channelAccountId);
  if (stored) return stored.inbox_id;
  const account = await findChannelAccount(deps.db, channelAccountId);
  if (!account) throw new Error('The channel account no longer exists');
  return ensureInbox(deps, cw, account);
}

/**
 * Connect: an inbox per channel account of the client (created or reused), each stored one's
 * webhook URL pointed at this Habar (the public URL may have changed). Returns how many.
 */
export async function provisionInboxes(deps: InboxDeps, cw: ChatwootClient, clientId: string, known: RemoteInbox[]): Promise<number> {
  const accounts = await listChannelAccounts(deps.db, clientId);
  for (const a of accounts) {
    const stored = await storedInbox(deps.db, a.id);
    if (stored && known.some((i) => i.id === stored.inbox_id)) {
      await cw.updateInboxWebhook(stored.inbox_id, webhookUrlOf(deps.publicUrl(), stored.webhook_token));
      continue;
    }
    // Stored but gone from Chatwoot (deleted there): made again.
    if (stored) await deps.db.deleteFrom('chatwoot_inboxes').where('channel_account_id', '=', a.id).execute();
    await ensureInbox(deps, cw, a, known);
  }
  return accounts.length;
}

/** The client's inboxes for the status page: how many, and whether any is signed. */
export async function inboxSummary(db: Db, clientId: string): Promise<{ count: number; signed: number }> {
  const rows = await db.selectFrom('chatwoot_inboxes').select('secret').where('client_id', '=', clientId).execute();
  return { count: rows.length, signed: rows.filter((r) => r.secret).length };
}
