import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Vault } from '../../vault/index.ts';
import { readCredentials, toChannelAccount, type ChannelAccount } from '../accounts.ts';

export const INSTAGRAM = 'instagram';

/** What an Instagram account keeps in channel_accounts.settings (no secret). */
export interface InstagramSettings {
  ig_account_id: string;
  username: string;
  /** How it was connected: a pasted token, Facebook Login, or Instagram Login. */
  login: 'token' | 'facebook' | 'instagram';
  /** Facebook Login: the Page the account is linked to (its Send API and webhook subscription go through it). */
  page_id?: string;
}

/** The sealed half (channel_accounts.credentials). */
export interface InstagramCredentials {
  access_token: string;
  /** When the token stops working (null: a system-user or Page token that does not expire). */
  expires_at?: string | null;
  /** Facebook Login: the long-lived user token the Page token came from (to refresh it). */
  user_token?: string;
}

export const igAccountIdOf = (account: ChannelAccount): string | undefined => {
  const v = (account.settings as Partial<InstagramSettings>).ig_account_id;
  return typeof v === 'string' ? v : undefined;
};

/** Accounts connected with Instagram Login speak to graph.instagram.com; the others to the Graph API. */
export const graphHostOf = (account: ChannelAccount): 'graph' | 'instagram' => ((account.settings as Partial<InstagramSettings>).login === 'instagram' ? 'instagram' : 'graph');

export const pageIdOf = (account: ChannelAccount): string | undefined => {
  const v = (account.settings as Partial<InstagramSettings>).page_id;
  return typeof v === 'string' ? v : undefined;
};

/** The Instagram channel account that holds this Instagram account id, whichever client has it. */
export async function findByIgAccountId(db: Db, igAccountId: string): Promise<ChannelAccount | undefined> {
  // The id lives in the settings JSON: json_extract is SQLite's way to reach it.
  const r = await db.selectFrom('channel_accounts').selectAll().where('kind', '=', INSTAGRAM)
    .where(sql<string>`json_extract(settings, '$.ig_account_id')`, '=', igAccountId).executeTakeFirst();
  return r && toChannelAccount(r);
}

export async function readInstagramCredentials(db: Db, vault: Vault, accountId: string): Promise<InstagramCredentials | undefined> {
  const raw = await readCredentials(db, vault, accountId);
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as InstagramCredentials;
    return typeof c.access_token === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}
