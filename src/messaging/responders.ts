import type { Selectable } from 'kysely';
import type { ChannelAccountsTable, ContactsTable, ConversationsTable, Db, MessagesTable } from '../db/index.ts';
import { compiled } from '../db/compiled.ts';
import type { Logger } from '../lib/logger.ts';
import type { Job, JobHandler } from '../jobs/index.ts';
import { toContact } from './contacts.ts';
import { toConversation } from './conversations.ts';
import { toMessage } from './messages.ts';
import { queueOutbound } from './outbound.ts';
import { inTransaction } from './transaction.ts';
import { PROCESS_MESSAGE_JOB, type MessagingDeps } from './inbound.ts';
import type { AttachmentMeta, ChannelAccountRef, ChannelKind, Contact, Conversation, Message } from './types.ts';

/** What a responder step sees: the stored message and its conversation, contact and channel. */
export interface ResponderInput {
  job: Job;
  message: Message;
  conversation: Conversation;
  contact: Contact;
  channel: ChannelAccountRef;
}

export type ResponderResult =
  /** Not mine: the next step decides. */
  | { action: 'pass' }
  /** Reply with this text. `apply` runs inside the reply's transaction (record the step's own state there). */
  | { action: 'answer'; text: string; attachments?: AttachmentMeta[]; authorKind?: 'ai' | 'rule' | 'system'; apply?: (trx: Db) => Promise<void> }
  /** A person must take over: the conversation's automatic replies stop (ai_state handed_off); `text` optionally tells the customer. */
  | { action: 'handoff'; reason: string; text?: string; authorKind?: 'ai' | 'rule' | 'system'; apply?: (trx: Db) => Promise<void> }
  /** The step took charge in its own way (e.g. enqueued a debounced job); stop the chain. */
  | { action: 'handled' };

/**
 * One step of the responder chain. Steps run in ascending `order` (rules ~100, AI ~200, the
 * offline auto-reply 900) until one does not pass. A step must not write before it answers: the
 * chain applies its result in one transaction with the job's completion, so a crash never makes
 * it answer twice. Steps see customer messages; `onEcho` (optional) sees messages the business
 * sent from elsewhere (typed on the phone), e.g. to pause the AI.
 */
export interface ResponderStep {
  name: string;
  order: number;
  respond(input: ResponderInput): Promise<ResponderResult>;
  onEcho?(input: ResponderInput): Promise<void>;
}

/** The processing job: runs the responder chain once per stored message. */
export function processMessageHandler(deps: MessagingDeps & { log: Logger }, steps: ResponderStep[]): JobHandler {
  const chain = [...steps].sort((a, b) => a.order - b.order);
  return {
    kind: PROCESS_MESSAGE_JOB,
    async run(job) {
      const input = await loadInput(deps.db, job);
      if (!input) return; // erased meanwhile
      if (input.message.direction === 'out') {
        for (const step of chain) await step.onEcho?.(input);
        return;
      }
      for (const step of chain) {
        const result = await step.respond(input);
        if (result.action === 'pass') continue;
        deps.log.debug('jobs', 'responder acted', { step: step.name, action: result.action, conversation_id: input.conversation.id });
        if (result.action === 'handled') return;
        await applyResult(deps, input, result);
        return;
      }
    },
  };
}

// The processing job's reads and writes, built once (db/compiled.ts): they run for every message.
const messageById = compiled<{ id: string }, Selectable<MessagesTable>>((db, arg) => db.selectFrom('messages').selectAll().where('id', '=', arg('id')));
const conversationById = compiled<{ id: string }, Selectable<ConversationsTable>>((db, arg) => db.selectFrom('conversations').selectAll().where('id', '=', arg('id')));
const contactById = compiled<{ id: string }, Selectable<ContactsTable>>((db, arg) => db.selectFrom('contacts').selectAll().where('id', '=', arg('id')));
const channelById = compiled<{ id: string }, Pick<Selectable<ChannelAccountsTable>, 'id' | 'client_id' | 'kind'>>((db, arg) =>
  db.selectFrom('channel_accounts').select(['id', 'client_id', 'kind']).where('id', '=', arg('id')));
const finishRunning = compiled<{ id: string; now: string }>((db, arg) => db.updateTable('jobs')
  .set({ status: 'done', lease_until: null, finished_at: arg('now'), updated_at: arg('now') }).where('id', '=', arg('id')).where('status', '=', 'running'));

async function loadInput(db: Db, job: Job): Promise<ResponderInput | undefined> {
  const m = await messageById.first(db, { id: String(job.payload.messageId) });
  if (!m) return undefined;
  const [c, p, a] = await Promise.all([
    conversationById.first(db, { id: m.conversation_id }),
    contactById.first(db, { id: m.contact_id }),
    channelById.first(db, { id: m.channel_account_id }),
  ]);
  if (!c || !p || !a) return undefined;
  return { job, message: toMessage(m), conversation: toConversation(c), contact: toContact(p), channel: { id: a.id, clientId: a.client_id, kind: a.kind as ChannelKind } };
}

async function applyResult(deps: MessagingDeps, input: ResponderInput, result: Exclude<ResponderResult, { action: 'pass' | 'handled' }>): Promise<void> {
  await inTransaction(deps, async (trx, events) => {
    // Finishing the job in the same transaction as the reply: a re-run after a crash finds it done.
    const now = deps.clock.now().toISOString();
    if ((await finishRunning.changes(trx, { id: input.job.id, now })) === 0) return;
    const conv = await conversationById.first(trx, { id: input.conversation.id });
    if (!conv) return; // erased meanwhile
    await result.apply?.(trx);
    if (result.action === 'handoff') {
      await trx.updateTable('conversations').set({ ai_state: 'handed_off', ai_paused_until: null, updated_at: now }).where('id', '=', conv.id).execute();
      events.push({ type: 'conversation.updated', clientId: conv.client_id, at: now, change: 'ai_state', conversation: toConversation({ ...conv, ai_state: 'handed_off', ai_paused_until: null, updated_at: now }) });
    }
    const text = result.text;
    if (text || (result.action === 'answer' && result.attachments?.length)) {
      const { events: e } = await queueOutbound(trx, deps.clock, toConversation(conv), {
        text: text ?? '', attachments: result.action === 'answer' ? result.attachments : undefined, authorKind: result.authorKind ?? 'system',
      });
      events.push(...e);
    }
  });
}
