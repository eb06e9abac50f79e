import type { Db } from '../db/index.ts';
import { toMessage } from './messages.ts';
import type { IdentityRef, Message } from './types.ts';

/** The conversation a contact, known by one identity on a channel account, has there (undefined: none yet). */
export async function conversationByIdentity(db: Db, channelAccountId: string, identity: IdentityRef): Promise<{ id: string; contactId: string } | undefined> {
  return db.selectFrom('contact_identities as i').innerJoin('conversations as c', (j) => j.onRef('c.contact_id', '=', 'i.contact_id').onRef('c.channel_account_id', '=', 'i.channel_account_id'))
    .select(['c.id as id', 'c.contact_id as contactId'])
    .where('i.channel_account_id', '=', channelAccountId).where('i.kind', '=', identity.kind).where('i.value', '=', identity.value)
    .executeTakeFirst();
}

/**
 * A contact's thread as it may reach them: their own messages and the business's that did not
 * fail, oldest first, the last `limit`. A channel keeps the business's messages its own delivery
 * records show (one that is still queued may already have been delivered: the send job records the
 * outcome after the platform took it).
 */
export async function customerVisibleThread(db: Db, channelAccountId: string, identity: IdentityRef, limit = 100): Promise<Message[]> {
  const conv = await conversationByIdentity(db, channelAccountId, identity);
  if (!conv) return [];
  const rows = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conv.id)
    .where((eb) => eb.or([eb('direction', '=', 'in'), eb('status', '!=', 'failed')]))
    .orderBy('id', 'desc').limit(limit).execute();
  return rows.reverse().map(toMessage);
}
