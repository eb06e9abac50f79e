import type { Db } from '../../db/index.ts';
import { truncateChars } from '../../lib/text.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Vault } from '../../vault/index.ts';
import type { InboundEvent } from '../../messaging/index.ts';
import type { ChannelAccount } from '../accounts.ts';
import type { GraphClient } from './graph-client.ts';
import { graphHostOf, readInstagramCredentials } from './instagram-accounts.ts';

export interface ProfileDeps {
  db: Db;
  vault: Vault;
  log: Logger;
  graph: GraphClient;
}

/**
 * A customer writing for the first time gets their Instagram name (or username) as the contact's
 * display name: looked up on the Graph API (`/{igsid}?fields=name,username`) before the message is
 * stored. Known senders, echoes and events that carry a name cost nothing; a failed lookup only
 * leaves the name empty.
 */
export async function withSenderNames(deps: ProfileDeps, found: ReadonlyArray<{ account: ChannelAccount; event: InboundEvent }>): Promise<InboundEvent[]> {
  const names = new Map<string, Promise<string | undefined>>();
  const tokens = new Map<string, Promise<string | undefined>>();
  const tokenOf = (account: ChannelAccount) => {
    if (!tokens.has(account.id)) tokens.set(account.id, readInstagramCredentials(deps.db, deps.vault, account.id).then((c) => c?.access_token));
    return tokens.get(account.id)!;
  };
  const lookUp = async (account: ChannelAccount, igsid: string): Promise<string | undefined> => {
    const known = await deps.db.selectFrom('contact_identities').select('id')
      .where('client_id', '=', account.clientId).where('kind', '=', 'ig_id').where('value', '=', igsid).executeTakeFirst();
    if (known) return undefined;
    const token = await tokenOf(account);
    if (!token) return undefined;
    try {
      const p = await deps.graph.get<{ name?: string; username?: string }>(`/${encodeURIComponent(igsid)}`, {
        token, host: graphHostOf(account), query: { fields: 'name,username' }, retry: false,
      });
      const name = (typeof p.name === 'string' && p.name.trim()) || (typeof p.username === 'string' && p.username.trim()) || undefined;
      return name && truncateChars(name, 100);
    } catch (err) {
      deps.log.info('channel', 'instagram profile lookup failed', { channel_account_id: account.id, error: (err as Error).message.slice(0, 120) });
      return undefined;
    }
  };
  return Promise.all(found.map(async ({ account, event }) => {
    const igsid = event.from.identities.find((i) => i.kind === 'ig_id')?.value;
    if (event.direction === 'out' || event.from.displayName || !igsid) return event;
    const key = `${account.clientId}:${igsid}`;
    if (!names.has(key)) names.set(key, lookUp(account, igsid));
    const displayName = await names.get(key);
    return displayName ? { ...event, from: { ...event.from, displayName } } : event;
  }));
}
