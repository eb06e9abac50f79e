import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Vault } from '../../vault/index.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { createChannelAccount, type ChannelAccount } from '../accounts.ts';

/** The embedded default's sandbox channel for the demo client (created once, when the demo client has no sandbox). */
export async function seedDemoSandbox(db: Db, clock: Clock, vault: Vault): Promise<ChannelAccount | undefined> {
  const demo = await findClient(db, DEMO_SLUG);
  if (!demo) return undefined;
  const existing = await db.selectFrom('channel_accounts').select('id').where('client_id', '=', demo.id).where('kind', '=', 'sandbox').executeTakeFirst();
  if (existing) return undefined;
  return createChannelAccount(db, clock, vault, { clientId: demo.id, kind: 'sandbox', name: 'Sandbox' });
}
