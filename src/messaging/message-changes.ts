import type { Db } from '../db/index.ts';
import { toMessage } from './messages.ts';
import type { MessagingDeps } from './inbound.ts';
import { inTransaction } from './transaction.ts';

// What a platform tells us later about a message already stored: a receipt for one we sent
// (delivered, read), or a customer's edit or deletion (revoke) of one of theirs. Messages are
// found by their channel account and platform message id; an unknown id changes nothing (e.g. a
// receipt for a message sent from the phone before Habar was connected).

/** How far a sent message has got: a receipt only ever moves a message forward on this scale. */
const PROGRESS: Record<string, number> = { queued: 0, failed: 0, sent: 1, delivered: 2, read: 3 };

async function findByPlatformId(trx: Db, accountId: string, platformMessageId: string) {
  return trx.selectFrom('messages').selectAll()
    .where('channel_account_id', '=', accountId).where('platform_message_id', '=', platformMessageId).executeTakeFirst();
}

/**
 * A delivery or read receipt for a message the account sent: sets delivered_at / read_at and the
 * status, forward only (a late "delivered" after "read" changes nothing), and publishes
 * message.updated. Returns whether anything changed.
 */
export async function recordReceipt(
  deps: MessagingDeps, accountId: string, platformMessageId: string, status: 'delivered' | 'read', at?: string,
): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  const when = at ?? now;
  return inTransaction(deps, async (trx, events) => {
    const row = await findByPlatformId(trx, accountId, platformMessageId);
    if (!row || row.direction !== 'out' || PROGRESS[row.status] >= PROGRESS[status]) return false;
    const changes = {
      status, delivered_at: row.delivered_at ?? when, read_at: status === 'read' ? (row.read_at ?? when) : row.read_at, updated_at: now,
    };
    await trx.updateTable('messages').set(changes).where('id', '=', row.id).execute();
    events.push({ type: 'message.updated', clientId: row.client_id, at: now, message: toMessage({ ...row, ...changes }) });
    return true;
  });
}

export type MessageChange = { kind: 'edited'; text: string } | { kind: 'deleted' };

/**
 * A customer edited (the new text is kept, edited_at set) or deleted (revoked: deleted_at set)
 * a message on the platform; publishes message.updated. A repeated change writes nothing.
 * Returns whether anything changed.
 */
export async function recordMessageChange(deps: MessagingDeps, accountId: string, platformMessageId: string, change: MessageChange): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  return inTransaction(deps, async (trx, events) => {
    const row = await findByPlatformId(trx, accountId, platformMessageId);
    if (!row) return false;
    const changes = change.kind === 'edited'
      ? (row.text === change.text ? undefined : { text: change.text, edited_at: now, updated_at: now })
      : (row.deleted_at ? undefined : { deleted_at: now, updated_at: now });
    if (!changes) return false;
    await trx.updateTable('messages').set(changes).where('id', '=', row.id).execute();
    events.push({ type: 'message.updated', clientId: row.client_id, at: now, message: toMessage({ ...row, ...changes }) });
    return true;
  });
}

/**
 * A person withdrew an outbound message before it left (an agent deleted it in Chatwoot): it is
 * marked deleted and failed, and its send job leaves it. One that has left, or whose send is under
 * way, cannot be withdrawn ('sent'). Publishes message.updated. Another client's is 'not_found'.
 */
export async function withdrawOutbound(deps: MessagingDeps, clientId: string, messageId: string): Promise<'withdrawn' | 'sent' | 'not_found'> {
  const now = deps.clock.now().toISOString();
  return inTransaction(deps, async (trx, events) => {
    const row = await trx.selectFrom('messages').selectAll().where('id', '=', messageId).where('client_id', '=', clientId).where('direction', '=', 'out').executeTakeFirst();
    if (!row) return 'not_found';
    if (row.deleted_at) return 'withdrawn';
    if ((row.status !== 'queued' && row.status !== 'failed') || row.in_flight_at) return 'sent';
    const changes = { deleted_at: now, status: 'failed', error: 'Withdrawn before it was sent', updated_at: now };
    await trx.updateTable('messages').set(changes).where('id', '=', row.id).execute();
    events.push({ type: 'message.updated', clientId, at: now, message: toMessage({ ...row, ...changes }) });
    return 'withdrawn';
  });
}
