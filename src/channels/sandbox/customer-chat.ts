import type { Db } from '../../db/index.ts';
import { customerVisibleThread, ingestInbound, type Message, type MessagingDeps } from '../../messaging/index.ts';
import { newId } from '../../lib/ids.ts';
import { findChannelByToken, type ChannelAccount } from '../accounts.ts';
import { SANDBOX_IDENTITY } from './identity.ts';

/** What a customer posts on the sandbox page (validated at the HTTP edge). */
export interface CustomerPost {
  text: string;
  /** Opaque customer id: the same value is the same contact; absent, the link itself is one contact. */
  customer?: string;
  /** Makes the post idempotent: a replay stores nothing new and returns the same message id. */
  messageId?: string;
  /** How a browser visitor is named ("Посетитель 3f2a1b"): the word in the page's language (the HTTP edge translates it); "Visitor" without one. */
  visitorWord?: string;
}

/** Customer ids the page itself makes (one per browser) start with this. */
export const BROWSER_CUSTOMER_PREFIX = 'v_';

function displayName(customer: string, visitorWord = 'Visitor'): string {
  if (!customer) return visitorWord;
  if (customer.startsWith(BROWSER_CUSTOMER_PREFIX)) return `${visitorWord} ${customer.slice(2, 8)}`;
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
    from: { identities: [{ kind: SANDBOX_IDENTITY, value: customer }], displayName: displayName(customer, post.visitorWord) },
  });
  return { id: r.messageId, created: !r.duplicate };
}

/** The sandbox channel whose customer page this token opens (undefined for any other token). */
export async function findSandboxByToken(db: Db, token: string): Promise<ChannelAccount | undefined> {
  const account = await findChannelByToken(db, token);
  return account?.kind === SANDBOX_IDENTITY ? account : undefined;
}

/**
 * What the customer sees: their own messages and the replies delivered to them (queued or
 * failed ones are not theirs to see yet), oldest first, the last `limit`. Messaging gives the
 * thread as it left us; the sandbox keeps the replies its own deliveries record.
 */
export async function customerThread(db: Db, account: ChannelAccount, customer: string, limit = 100): Promise<Message[]> {
  const thread = await customerVisibleThread(db, account.id, { kind: SANDBOX_IDENTITY, value: customer }, limit);
  const out = thread.filter((m) => m.direction === 'out').map((m) => m.id);
  if (!out.length) return thread;
  const delivered = new Set((await db.selectFrom('sandbox_deliveries').select('message_id').where('message_id', 'in', out).execute()).map((r) => r.message_id));
  return thread.filter((m) => m.direction === 'in' || delivered.has(m.id));
}
