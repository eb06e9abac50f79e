import type { Db } from '../db/index.ts';
import type { DataRecipient } from '../lib/data-recipient.ts';
import { listChannelAccounts } from './accounts.ts';
import { CHANNEL_DRIVERS } from './drivers.ts';

/** The platform behind each of the client's channel accounts, as its driver declares it (the sandbox has none). */
export async function channelRecipients(db: Db, clientId: string): Promise<DataRecipient[]> {
  const out: DataRecipient[] = [];
  for (const a of await listChannelAccounts(db, clientId)) {
    const r = CHANNEL_DRIVERS.find((d) => d.kind === a.kind)?.dataRecipient;
    if (r && !a.deletedAt) out.push({ kind: r.kind, name: `${r.platform}: ${a.name}`, url: r.url, abroad: r.abroad });
  }
  return out;
}
