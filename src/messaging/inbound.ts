import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { charLength } from '../lib/text.ts';
import { enqueueJob } from '../jobs/index.ts';
import { recordUsage } from '../billing/index.ts';
import type { EventHub, MessagingEvent } from './events.ts';
import { findOrCreateContact } from './contacts.ts';
import { findOrOpenConversation, touchConversation } from './conversations.ts';
import { insertMessage, toMessage, type MessageRow } from './messages.ts';
import { inTransaction } from './transaction.ts';
import { channelAccountRef } from './channel-ref.ts';
import { linkAttachments } from './attachments.ts';
import type { InboundEvent, IngestResult } from './types.ts';

export interface MessagingDeps {
  db: Db;
  clock: Clock;
  hub: EventHub;
}

// Statements every inbound message runs, built once (db/compiled.ts).
const byPlatformId = compiled<{ account: string; platformId: string }, { id: string; conversation_id: string; contact_id: string }>((db, arg) =>
  db.selectFrom('messages').select(['id', 'conversation_id', 'contact_id'])
    .where('channel_account_id', '=', arg('account')).where('platform_message_id', '=', arg('platformId')));

/**
 * Whether a message with this platform id is already stored for the account: an adapter asks
 * before fetching a redelivery's media again (ingest itself dedupes on the same key).
 */
export async function isStoredMessage(db: Db, channelAccountId: string, platformMessageId: string): Promise<boolean> {
  return !!(await byPlatformId.first(db, { account: channelAccountId, platformId: platformMessageId }));
}

/** The job that runs the responder chain for one stored message. */
export const PROCESS_MESSAGE_JOB = 'message.process';

/**
 * A guard, not a platform's limit: what a platform delivered is stored whole (WhatsApp's longest
 * text is 65,536 characters; limits from the drivers apply to what we send, and a public edge such
 * as the sandbox's customer page checks its own). Only a runaway adapter goes past this.
 */
export const MAX_INBOUND_TEXT_LENGTH = 100_000;

/** Throws 400 for an event the pipeline refuses before touching the database. */
function checkInbound(event: InboundEvent): void {
  if (!event.platformMessageId) throw badRequest('An inbound message needs its platform message id');
  if (charLength(event.text) > MAX_INBOUND_TEXT_LENGTH) throw badRequest(`An inbound text may have at most ${MAX_INBOUND_TEXT_LENGTH} characters`, 'text', 'too_long');
}

/**
 * The inbound pipeline's one transaction: upsert the contact (by identity), find or open the
 * conversation (reopening a resolved one), store the message, enqueue its processing job and
 * append a usage event. Only when this resolves may the adapter acknowledge the event.
 * A redelivered platform message id writes nothing and returns the stored message's id.
 */
export async function ingestInbound(deps: MessagingDeps, event: InboundEvent): Promise<IngestResult> {
  checkInbound(event);
  return inTransaction(deps, (trx, events) => ingestWithin(trx, deps, event, events));
}

/**
 * The inbound pipeline's writes for one (checked) event inside the caller's transaction, the
 * events it causes appended to `events`.
 */
async function ingestWithin(trx: Db, deps: MessagingDeps, event: InboundEvent, events: MessagingEvent[]): Promise<IngestResult> {
  const direction = event.direction ?? 'in';
  const account = await channelAccountRef(trx, event.channelAccountId);
  if (!account || account.deleted || account.halted) throw notFound('No such channel account');
  const clientId = account.clientId;
  const existing = await byPlatformId.first(trx, { account: account.id, platformId: event.platformMessageId });
  if (existing) {
    // A redelivery whose adapter stored its media again: those files belong to the stored message.
    await linkAttachments(trx, { clientId, contactId: existing.contact_id, messageId: existing.id }, event.attachments);
    return { messageId: existing.id, conversationId: existing.conversation_id, contactId: existing.contact_id, clientId, duplicate: true };
  }

  const now = deps.clock.now().toISOString();
  const { contactId } = await findOrCreateContact(trx, deps.clock, {
    clientId, channelAccountId: account.id, identities: event.from.identities, displayName: event.from.displayName, phone: event.from.phone,
  });
  const opened = await findOrOpenConversation(trx, deps.clock, { clientId, contactId, channelAccountId: account.id });
  const conversationId = opened.conversation.id;
  const row: MessageRow = {
    id: newId(), client_id: clientId, contact_id: contactId, conversation_id: conversationId, channel_account_id: account.id,
    direction, author_kind: direction === 'in' ? 'contact' : 'agent', author_user_id: null, platform_message_id: event.platformMessageId,
    text: event.text, attachments: JSON.stringify(event.attachments ?? []), status: direction === 'in' ? 'delivered' : 'sent',
    error: null, in_flight_at: null, uncertain: 0, created_at: now, sent_at: direction === 'out' ? now : null,
    delivered_at: direction === 'in' ? now : null, read_at: null, updated_at: now, reply_to_message_id: null,
  };
  await insertMessage(trx, row);
  await linkAttachments(trx, { clientId, contactId, messageId: row.id }, event.attachments);
  await touchConversation(trx, conversationId, now, direction === 'in' && !event.history ? 'inbound' : 'outbound');
  // History is kept for the record, answered by nobody and not counted.
  if (!event.history) {
    await enqueueJob(trx, deps.clock, {
      kind: PROCESS_MESSAGE_JOB, clientId, contactId, conversationId, payload: { messageId: row.id },
      idempotencyKey: `process:${row.id}`, queueKey: `process:${conversationId}`,
    });
    if (direction === 'in') await recordUsage(trx, deps.clock, { clientId, kind: 'inbound_message', channelAccountId: account.id });
  }

  if (opened.change) {
    const c = opened.conversation;
    events.push({ type: 'conversation.updated', clientId, at: now, change: opened.change, conversation: { ...c, lastActivityAt: now } });
  }
  // History is not news: no message event (no webhook, and an old phone message does not pause the AI).
  if (!event.history) events.push({ type: direction === 'in' ? 'message.received' : 'message.sent', clientId, at: now, message: toMessage(row) });
  return { messageId: row.id, conversationId, contactId, clientId, duplicate: false };
}
