// The AI's place in the responder chain. The step (order 200) decides per customer message:
// not ours (pass), a handoff keyword (handoff now), or a question — then the disclosure goes
// out at the start of a conversation and a debounced `ai.reply` job is (re)scheduled. The job
// answers every unanswered customer message at once after the quiet period. Both the window
// and the pending work are rows in the jobs table: a restart neither drops nor repeats them.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob, reschedulePending, type JobHandler } from '../jobs/index.ts';
import { changeReplyStateIn, type Conversation, type MessagingEvent, type ResponderStep } from '../messaging/index.ts';
import { getAiSettings } from './ai-settings.ts';
import { decideAiState } from './ai-state.ts';
import { pickLanguageLine } from './defaults.ts';
import { detectLanguage } from './text-normalise.ts';
import { quietSeconds } from './quiet-period.ts';
import { getAiConversation, upsertAiConversation } from './thread.ts';
import { answerConversation } from './reply-job.ts';
import { aiApplies, asksForHuman, type AiDeps } from './gate.ts';
import { enqueueHandoffNotice } from './handoff-notify.ts';
import { aiQuotaReached } from '../billing/index.ts';

export const AI_REPLY_JOB = 'ai.reply';
const aiQueue = (conversationId: string) => `ai:${conversationId}`;

/**
 * Starts or extends the quiet period: the one pending `ai.reply` job of the conversation moves
 * to now + the quiet time (quiet-period.ts: shorter after a complete question); without one, a new job is added. Runs in the caller's transaction.
 */
export async function scheduleReply(db: Db, clock: Clock, conv: Conversation, messageId: string, debounceSeconds: number): Promise<void> {
  const runAt = new Date(clock.now().getTime() + debounceSeconds * 1000);
  if (await reschedulePending(db, clock, { queueKey: aiQueue(conv.id), kind: AI_REPLY_JOB, runAt })) return;
  await enqueueJob(db, clock, {
    kind: AI_REPLY_JOB, clientId: conv.clientId, contactId: conv.contactId, conversationId: conv.id, payload: { conversationId: conv.id },
    idempotencyKey: `ai.reply:${messageId}`, queueKey: aiQueue(conv.id), runAt, maxAttempts: 3,
  });
}

/**
 * The responder step. It only decides (messaging/responders.ts, ResponderStep): what it writes
 * (its bookkeeping, the debounced job) runs in the chain's commit with the processing job's
 * completion. A person's message pausing the AI is humanReplyWatcher's (subscribed in src/pipeline.ts).
 */
export function aiResponderStep(deps: AiDeps): ResponderStep {
  return {
    name: 'ai',
    order: 200,
    async respond({ message, conversation, contact, channel }) {
      if (message.direction !== 'in') return { action: 'pass' };
      const s = await getAiSettings(deps.db, conversation.clientId);
      if (!aiApplies(s, channel.id, contact)) return { action: 'pass' };
      // The state that holds now; when it differs from the stored one (a pause ran out, or a
      // person's message pauses the AI), the change is recorded with what the chain commits, as a
      // compare-and-set against the state seen here: a person's change meanwhile holds.
      const decided = await decideAiState(deps.db, deps.clock, conversation, s);
      const record = async (trx: Db, events: MessagingEvent[]) => {
        if (decided.record) await changeReplyStateIn(trx, deps.clock, events, conversation, conversation, decided.record);
      };
      if (decided.state !== 'active') return decided.record ? { action: 'pass', apply: record } : { action: 'pass' };
      const lang = detectLanguage(message.text, s.languages[0] ?? 'ru');
      const ids = { conversationId: conversation.id, clientId: conversation.clientId, contactId: conversation.contactId };
      // A person is asked for, or the plan stops AI replies past its limit (billing decides; messages
      // still flow and people still answer): handed off once, with the fallback text, never silent.
      const reason = asksForHuman(message.text, s.handoffKeywords) ? 'keyword' : (await aiQuotaReached(deps.db, deps.clock, conversation.clientId)) ? 'plan_quota' : null;
      if (reason) {
        const at = deps.clock.now().toISOString();
        return {
          // Decided on the state the step saw: a person's change since makes it do nothing.
          action: 'handoff', reason, text: pickLanguageLine(s.fallbackText, lang), authorKind: 'ai',
          apply: async (trx) => {
            await upsertAiConversation(trx, deps.clock, ids, { handoff_reason: reason, handed_off_at: at });
            await enqueueHandoffNotice(trx, deps.clock, conversation, reason);
          },
        };
      }
      const state = await getAiConversation(deps.db, conversation.id);
      if (s.disclosure && !state?.disclosed_at) {
        const at = deps.clock.now().toISOString();
        return {
          action: 'answer', text: pickLanguageLine(s.disclosure, lang), authorKind: 'system',
          apply: async (trx, events) => {
            await record(trx, events);
            await upsertAiConversation(trx, deps.clock, ids, { disclosed_at: at });
            await scheduleReply(trx, deps.clock, conversation, message.id, quietSeconds(message.text, s.debounceSeconds));
          },
        };
      }
      return {
        action: 'handled',
        apply: async (trx, events) => {
          await record(trx, events);
          await scheduleReply(trx, deps.clock, conversation, message.id, quietSeconds(message.text, s.debounceSeconds));
        },
      };
    },
  };
}

/** The debounced job: answers the conversation's unanswered customer messages in one turn. */
export function aiReplyJobHandler(deps: AiDeps): JobHandler {
  return {
    kind: AI_REPLY_JOB,
    async run(job) {
      await answerConversation(deps, String(job.payload.conversationId ?? job.conversationId));
    },
  };
}
