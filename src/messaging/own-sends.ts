import type { Db } from '../db/index.ts';
import type { IdentityRef } from './types.ts';

/** One outbound message of ours, as an echo of it resolves to. */
export interface OwnSend {
  messageId: string;
  conversationId: string;
  contactId: string;
  clientId: string;
}

/**
 * The durable half of the echo guard: an outbound message of ours on this account, to one of
 * these identities, with this text, whose send call is under way (in flight, its platform id not
 * yet recorded). A platform's echo of it may arrive before the send job commits the id.
 */
export async function findOwnSendInFlight(db: Db, channelAccountId: string, identities: IdentityRef[], text: string): Promise<OwnSend | undefined> {
  if (!identities.length) return undefined;
  return db.selectFrom('messages as m').innerJoin('contact_identities as i', (j) => j.onRef('i.contact_id', '=', 'm.contact_id').onRef('i.channel_account_id', '=', 'm.channel_account_id'))
    .select(['m.id as messageId', 'm.conversation_id as conversationId', 'm.contact_id as contactId', 'm.client_id as clientId'])
    .where('m.channel_account_id', '=', channelAccountId).where('m.direction', '=', 'out').where('m.status', '=', 'queued')
    .where('m.in_flight_at', 'is not', null).where('m.platform_message_id', 'is', null).where('m.text', '=', text)
    .where((eb) => eb.or(identities.map((x) => eb.and([eb('i.kind', '=', x.kind), eb('i.value', '=', x.value)]))))
    .orderBy('m.id').limit(1).executeTakeFirst();
}
