import type { Db } from '../db/index.ts';
import type { Logger } from '../lib/logger.ts';
import { markJobDone, type Job, type JobHandler } from '../jobs/index.ts';
import { findContact } from './contacts.ts';
import { findConversation } from './conversations.ts';
import { findMessage } from './messages.ts';
import { channelAccountRef } from './channel-ref.ts';
import { queueOutbound } from './outbound.ts';
import { changeReplyStateIn, type ReplyStateExpectation } from './reply-state.ts';
import { inTransaction } from './transaction.ts';
import type { MessagingEvent } from './events.ts';
import { PROCESS_MESSAGE_JOB, type MessagingDeps } from './inbound.ts';
import type { AttachmentMeta, ChannelAccountRef, Contact, Conversation, Message } from './types.ts';

/** What a responder step sees: the stored message and its conversation, contact and channel. */
export interface ResponderInput {
  job: Job;
  message: Message;
  conversation: Conversation;
  contact: Contact;
  channel: ChannelAccountRef;
}

/** A step's writes, run in the chain's transaction; events pushed to `events` are published with it. */
type StepWrite = (trx: Db, events: MessagingEvent[]) => Promise<void>;

/** What a step decided; see ResponderStep for when its writes run. */
export type ResponderResult =
  /** Not mine: the next step decides. `apply` (e.g. a state the step found out of date) commits with whatever ends the chain. */
  | { action: 'pass'; apply?: StepWrite }
  /** Reply with this text (and files). */
  | { action: 'answer'; text: string; attachments?: AttachmentMeta[]; authorKind?: 'ai' | 'rule' | 'system'; apply?: StepWrite }
  /**
   * A person must take over: the conversation's automatic replies stop (ai_state handed_off,
   * through reply-state.ts); `text` optionally tells the customer. The handoff is a
   * compare-and-set against `expect` (default: the reply state the step saw in its input): when
   * the state changed since (a person paused or took over meanwhile), nothing of the result
   * happens, neither the handoff nor `text` nor `apply`.
   */
  | { action: 'handoff'; reason: string; text?: string; authorKind?: 'ai' | 'rule' | 'system'; apply?: StepWrite; expect?: ReplyStateExpectation }
  /** The step took charge in its own way, saying nothing now (e.g. a debounced job, scheduled by `apply`); stop the chain. */
  | { action: 'handled'; apply?: StepWrite };

/**
 * One step of the responder chain. Steps run in ascending `order` (STOP/START 50, rules ~100, AI
 * ~200, the offline auto-reply 900) until one does not pass.
 *
 * The contract: `respond` only reads and returns its decision; it writes nothing itself. The
 * chain applies the decision in ONE transaction together with the processing job's completion:
 * the `apply` of the steps that passed before it, the step's own `apply` (its bookkeeping, jobs
 * it schedules), the reply-state change of a handoff, and the reply message with its send job. So a crash before that commit leaves none
 * of it and the job runs again; a crash after it finds the job done, and nothing is said or
 * scheduled twice. `onEcho` (optional) sees messages the business sent from elsewhere (typed
 * on the phone), e.g. to pause the AI.
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
      const passing: StepWrite[] = [];
      for (const step of chain) {
        const result = await step.respond(input);
        if (result.action === 'pass') {
          if (result.apply) passing.push(result.apply);
          continue;
        }
        deps.log.debug('jobs', 'responder acted', { step: step.name, action: result.action, conversation_id: input.conversation.id });
        if (result.action === 'handled' && !result.apply && passing.length === 0) return;
        await applyResult(deps, input, result, passing);
        return;
      }
      if (passing.length > 0) await applyResult(deps, input, { action: 'handled' }, passing);
    },
  };
}

// The processing job's reads: the message, its conversation, contact and channel account, each
// through messaging's own compiled lookup.
async function loadInput(db: Db, job: Job): Promise<ResponderInput | undefined> {
  const message = await findMessage(db, String(job.payload.messageId));
  if (!message) return undefined;
  const [conversation, contact, channel] = await Promise.all([
    findConversation(db, message.conversationId),
    findContact(db, message.contactId),
    channelAccountRef(db, message.channelAccountId),
  ]);
  if (!conversation || !contact || !channel || channel.halted) return undefined;
  return { job, message, conversation, contact, channel };
}

async function applyResult(deps: MessagingDeps, input: ResponderInput, result: Exclude<ResponderResult, { action: 'pass' }>, passing: StepWrite[]): Promise<void> {
  await inTransaction(deps, async (trx, events) => {
    // Finishing the job in the same transaction as the reply: a re-run after a crash finds it done.
    if (!(await markJobDone(trx, deps.clock, input.job.id))) return;
    const conv = await findConversation(trx, input.conversation.id);
    if (!conv) return; // erased meanwhile
    for (const write of passing) await write(trx, events);
    if (result.action === 'handoff') {
      const r = await changeReplyStateIn(trx, deps.clock, events, conv, result.expect ?? input.conversation, { to: 'handed_off', reason: result.reason });
      if (!r.applied) return; // decided on a reply state that changed since: a person has it
    }
    await result.apply?.(trx, events);
    if (result.action === 'handled') return;
    const text = result.text;
    if (text || (result.action === 'answer' && result.attachments?.length)) {
      const { events: e } = await queueOutbound(trx, deps.clock, conv, {
        text: text ?? '', attachments: result.action === 'answer' ? result.attachments : undefined, authorKind: result.authorKind ?? 'system',
      });
      events.push(...e);
    }
  });
}
