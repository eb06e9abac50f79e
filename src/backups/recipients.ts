import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { DataRecipient } from '../lib/data-recipient.ts';
import { readRemoteSettings } from './target.ts';

/** The off-site backup storage, while uploads are on (every client's data, encrypted); abroad as the operator declared it. */
export async function backupRecipients(db: Db, vault: Vault): Promise<DataRecipient[]> {
  const s = await readRemoteSettings(db, vault);
  if (!s.enabled || !s.endpoint) return [];
  return [{ kind: 'backup', name: s.bucket ? `${new URL(s.endpoint).host}/${s.bucket}` : new URL(s.endpoint).host, url: s.endpoint, abroad: !s.inKazakhstan }];
}
