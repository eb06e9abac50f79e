import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { charLength } from '../lib/text.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { enqueueJob } from '../jobs/index.ts';
import type { MessagingEvent } from './events.ts';
import { findOrCreateContact, toContact } from './contacts.ts';
import { findOrOpenConversation, getConversation, touchConversation } from './conversations.ts';
import { insertMessage, toMessage, type MessageRow } from './messages.ts';
import { inTransaction } from './transaction.ts';
import { channelAccountRef } from './channel-ref.ts';
import { linkAttachments } from './attachments.ts';
import type { MessagingDeps } from './inbound.ts';
import { MAX_TEXT_LENGTH, type AttachmentMeta, type AuthorKind, type ChannelDirectory, type ChannelRules, type Contact, type Conversation, type Message } from './types.ts';

/** The job that hands one outbound message to its channel. */
export const SEND_MESSAGE_JOB = 'message.send';

export interface OutboundInput {
  text: string;
  attachments?: AttachmentMeta[];
  authorKind: Exclude<AuthorKind, 'contact'>;
  authorUserId?: string | null;
  /** Our id of a message of the same conversation this one answers (WhatsApp shows it quoted). */
  replyToMessageId?: string;
}

function validateOutbound(input: OutboundInput): void {
  if (typeof input.text !== 'string') throw badRequest('Enter the text', 'text');
  if (charLength(input.text) > MAX_TEXT_LENGTH) throw badRequest(`The text may have at most ${MAX_TEXT_LENGTH} characters`, 'text', 'too_long');
  if (!input.text.trim() && !(input.attachments?.length)) throw badRequest('Enter the text or attach a file', 'text', 'empty_message');
}

/**
 * Inside the caller's transaction: stores an outbound message (queued) and its send job, and
 * marks the conversation active. Sends of one conversation leave in the order they were queued.
 * Returns the message and the events to publish after the commit.
 */
export async function queueOutbound(trx: Db, clock: Clock, conversation: Conversation, input: OutboundInput): Promise<{ message: Message; events: MessagingEvent[] }> {
  validateOutbound(input);
  if (input.replyToMessageId !== undefined) {
    const quoted = typeof input.replyToMessageId === 'string' && await trx.selectFrom('messages').select('id')
      .where('id', '=', input.replyToMessageId).where('conversation_id', '=', conversation.id).where('client_id', '=', conversation.clientId).executeTakeFirst();
    if (!quoted) throw badRequest('The message to reply to is not in this conversation', 'reply_to_message_id');
  }
  const now = clock.now().toISOString();
  const row: MessageRow = {
    id: newId(), client_id: conversation.clientId, contact_id: conversation.contactId, conversation_id: conversation.id,
    channel_account_id: conversation.channelAccountId, direction: 'out', author_kind: input.authorKind, author_user_id: input.authorUserId ?? null,
    platform_message_id: null, text: input.text, attachments: JSON.stringify(input.attachments ?? []), status: 'queued', error: null,
    in_flight_at: null, uncertain: 0, created_at: now, sent_at: null, delivered_at: null, read_at: null, updated_at: now,
    reply_to_message_id: input.replyToMessageId ?? null,
  };
  await insertMessage(trx, row);
  await linkAttachments(trx, { clientId: conversation.clientId, contactId: conversation.contactId, messageId: row.id }, input.attachments);
  // An agent answering has read the thread.
  await touchConversation(trx, conversation.id, now, input.authorKind === 'agent' ? 'read' : 'outbound');
  await enqueueJob(trx, clock, {
    kind: SEND_MESSAGE_JOB, clientId: conversation.clientId, contactId: conversation.contactId, conversationId: conversation.id,
    payload: { messageId: row.id }, idempotencyKey: `send:${row.id}`, queueKey: `send:${conversation.id}`,
    rateKey: `channel:${conversation.channelAccountId}`, maxAttempts: 10,
  });
  return { message: toMessage(row), events: [{ type: 'message.queued', clientId: conversation.clientId, at: now, message: toMessage(row) }] };
}

/**
 * Sends a message into a client's conversation (agent in the inbox, the API, automation):
 * stored queued together with its send job in one transaction; the job delivers it.
 */
export async function sendMessage(deps: MessagingDeps, clientId: string, conversationId: string, input: OutboundInput): Promise<Message> {
  validateOutbound(input);
  return inTransaction(deps, async (trx, events) => {
    const conversation = await getConversation(trx, clientId, conversationId);
    const { message, events: e } = await queueOutbound(trx, deps.clock, conversation, input);
    events.push(...e);
    return message;
  });
}

/** Checks a message against its channel's limits (text length, attachment types and sizes). */
function checkLimits(rules: ChannelRules, input: OutboundInput): void {
  const { maxTextLength, attachments } = rules.limits;
  if (charLength(input.text) > maxTextLength) throw badRequest(`The text may have at most ${maxTextLength} characters on this channel`, 'text', 'too_long', { n: maxTextLength });
  for (const a of input.attachments ?? []) {
    if (!attachments.mimeTypes.some((m) => a.mime.startsWith(m))) throw badRequest(`This channel does not take ${a.mime || 'such'} files`, 'attachments', 'attachment_type');
    if (a.size > attachments.maxBytes) throw badRequest(`This channel takes files of at most ${Math.floor(attachments.maxBytes / 1048576)} MB`, 'attachments', 'attachment_too_large');
  }
}

/**
 * Starts (or continues) a conversation with a contact on a channel account of the client and
 * queues the first message, in one transaction.
 */
export async function startConversation(
  deps: MessagingDeps & { channels: ChannelDirectory },
  input: OutboundInput & { clientId: string; channelAccountId: string; to: string; displayName?: string },
): Promise<{ conversation: Conversation; contact: Contact; message: Message; created: boolean }> {
  validateOutbound(input);
  const account = await channelAccountRef(deps.db, input.channelAccountId);
  if (!account || account.clientId !== input.clientId || account.deleted || account.halted) throw notFound('No such channel');
  // The channel's driver says whether and how a conversation starts, and how its contacts are addressed.
  const rules = deps.channels.rulesFor(account.kind);
  if (!rules?.startConversation) throw badRequest('This channel cannot start a conversation: the customer writes first', 'channel', 'cannot_start');
  checkLimits(rules, input);
  const { identity, phone, displayName } = rules.parseAddress(input.to);
  return inTransaction(deps, async (trx, events) => {
    const { contactId } = await findOrCreateContact(trx, deps.clock, {
      clientId: input.clientId, channelAccountId: account.id, identities: [identity], phone,
      displayName: input.displayName ?? displayName ?? '',
    });
    const opened = await findOrOpenConversation(trx, deps.clock, { clientId: input.clientId, contactId, channelAccountId: account.id });
    const { message, events: e } = await queueOutbound(trx, deps.clock, opened.conversation, input);
    const conversation = await getConversation(trx, input.clientId, opened.conversation.id);
    if (opened.change) events.push({ type: 'conversation.updated', clientId: input.clientId, at: message.createdAt, change: opened.change, conversation });
    events.push(...e);
    const c = await trx.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow();
    return { conversation, contact: toContact(c), message, created: opened.change === 'created' };
  });
}
