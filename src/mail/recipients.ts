import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { presumedAbroad, type DataRecipient } from '../lib/data-recipient.ts';
import { readSmtpConfig } from './mailer.ts';

/** The install's SMTP relay, when configured (notices name members and clients). */
export async function smtpRecipients(db: Db, vault: Vault): Promise<DataRecipient[]> {
  const smtp = await readSmtpConfig(db, vault);
  if (!smtp) return [];
  return [{ kind: 'smtp', name: smtp.host, url: `smtp://${smtp.host}:${smtp.port}`, abroad: presumedAbroad(`http://${smtp.host}`) }];
}
