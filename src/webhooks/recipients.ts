import type { Db } from '../db/index.ts';
import { presumedAbroad, type DataRecipient } from '../lib/data-recipient.ts';
import { listWebhooks } from './webhooks.ts';

/** Each active outgoing webhook of the client. */
export async function webhookRecipients(db: Db, clientId: string): Promise<DataRecipient[]> {
  return (await listWebhooks(db, clientId)).filter((w) => w.active).map((w) => ({ kind: 'webhook', name: new URL(w.url).host, url: w.url, abroad: presumedAbroad(w.url) }));
}
