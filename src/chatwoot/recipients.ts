import type { Db } from '../db/index.ts';
import { presumedAbroad, type DataRecipient } from '../lib/data-recipient.ts';
import { getChatwootSettings } from './accounts.ts';

/** The client's Chatwoot, while connected (messages and contacts are mirrored to it). */
export async function chatwootRecipients(db: Db, clientId: string): Promise<DataRecipient[]> {
  const s = await getChatwootSettings(db, clientId);
  if (!s.connectedAt || !s.url) return [];
  return [{ kind: 'chatwoot', name: new URL(s.url).host, url: s.url, abroad: presumedAbroad(s.url) }];
}
