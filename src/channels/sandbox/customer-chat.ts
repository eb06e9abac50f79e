import type { Db } from '../../db/index.ts';
import { ingestInbound, toMessage, type Message, type MessagingDeps } from '../../messaging/index.ts';
import { newId } from '../../lib/ids.ts';
import type { ChannelAccount } from '../accounts.ts';

/** What a customer posts on the sandbox page (validated at the HTTP edge). */
export interface CustomerPost {
  text: string;
  /** Opaque customer id: the same value is the same contact; absent, the link itself is one contact. */
  customer?: string;
  /** Makes the post idempotent: a replay stores nothing new and returns the same message id. */
  messageId?: string;
}

/** Customer ids the page itself makes (one per browser) start with this. */
export const BROWSER_CUSTOMER_PREFIX = 'v_';

function displayName(customer: string): string {
  if (!customer) return 'Sandbox visitor';
  if (customer.startsWith(BROWSER_CUSTOMER_PREFIX)) return `Visitor ${customer.slice(2, 8)}`;
  return customer.slice(0, 60);
}

/**
 * Stores a customer's message through the inbound pipeline (one atomic unit; concurrent posts
 * share a commit). Resolves only after the message is stored; `created` is false for a replay of
 * the same message_id.
 */
export async function postAsCustomer(deps: MessagingDeps, account: ChannelAccount, post: CustomerPost): Promise<{ id: string; created: boolean }> {
  const customer = post.customer ?? '';
  // Scoped by customer, so two customers' message ids never collide; '/' cannot occur in the encoded part.
  const platformMessageId = post.messageId ? `${encodeURIComponent(customer)}/${post.messageId}` : newId();
  const r = await ingestInbound(deps, {
    channelAccountId: account.id, platformMessageId, text: post.text,
    from: { identities: [{ kind: 'sandbox', value: customer }], displayName: displayName(customer) },
  });
  return { id: r.messageId, created: !r.duplicate };
}

/**
 * What the customer sees: their own messages and the replies delivered to them (queued or
 * failed ones are not theirs to see yet), oldest first, the last `limit`.
 */
export async function customerThread(db: Db, account: ChannelAccount, customer: string, limit = 100): Promise<Message[]> {
  const identity = await db.selectFrom('contact_identities').select('contact_id')
    .where('channel_account_id', '=', account.id).where('kind', '=', 'sandbox').where('value', '=', customer).executeTakeFirst();
  if (!identity) return [];
  const conv = await db.selectFrom('conversations').select('id').where('channel_account_id', '=', account.id).where('contact_id', '=', identity.contact_id).executeTakeFirst();
  if (!conv) return [];
  const rows = await db.selectFrom('messages').leftJoin('sandbox_deliveries as d', 'd.message_id', 'messages.id').selectAll('messages')
    .where('messages.conversation_id', '=', conv.id)
    .where((eb) => eb.or([eb('messages.direction', '=', 'in'), eb('d.message_id', 'is not', null)]))
    .orderBy('messages.id', 'desc').limit(limit).execute();
  return rows.reverse().map(toMessage);
}
