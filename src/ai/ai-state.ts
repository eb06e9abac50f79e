// The AI's policy for the conversation's automatic-reply state (conversations.ai_state: active |
// paused | handed_off | off), which messaging's reply-state module alone writes. A human reply
// pauses the AI until resume_after_minutes after the person's latest message; resolving the
// conversation or a person's button resumes it. The pause is written in the reply's own
// transaction and also derived from the stored messages before every AI reply, so nothing (a
// restart, a failed write) can make the AI talk over a person. Every automatic change is a
// compare-and-set against the state it was decided on: it never overwrites a person's choice.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { recordAudit, type AuditActor } from '../audit/index.ts';
import {
  ANY_STATE, changeReplyStateIn, findConversation, inTransaction, lastAgentMessageAt,
  type AiState, type Conversation, type EventHub, type MessagingEvent, type ReplyStateTarget, type TransactionalSubscriber,
} from '../messaging/index.ts';
import { notFound } from '../lib/errors.ts';
import { getAiSettings, type AiSettings } from './ai-settings.ts';
import { getAiConversation, upsertAiConversation, type Turn } from './thread.ts';

export interface StateDeps {
  db: Db;
  clock: Clock;
  hub: EventHub;
}

const RECENT_SCAN = 200;

const ids = (c: Conversation) => ({ conversationId: c.id, clientId: c.clientId, contactId: c.contactId });

/** The newest message a person of the business wrote (inbox, API, or typed on the phone). */
async function lastHumanAt(db: Db, conversationId: string, turns?: Turn[]): Promise<string | null> {
  if (turns) return [...turns].reverse().find((t) => t.authorKind === 'agent')?.createdAt ?? null;
  // Only the recent part of the thread (a bounded read however long it is): a person's message
  // further back than this is older than any pause it could still cause in practice.
  return lastAgentMessageAt(db, conversationId, RECENT_SCAN);
}

/** Until when the people's messages pause the AI (null: none since the AI was last resumed, or no quiet time set). */
async function humanPauseUntil(db: Db, conv: Conversation, resumeAfterMinutes: number, turns?: Turn[]): Promise<string | null> {
  if (resumeAfterMinutes <= 0) return null;
  const human = await lastHumanAt(db, conv.id, turns);
  if (!human) return null;
  const state = await getAiConversation(db, conv.id);
  if (state?.resumed_at && state.resumed_at >= human) return null;
  return new Date(new Date(human).getTime() + resumeAfterMinutes * 60_000).toISOString();
}

/** Moves `conv` from the state it shows to `target` in a unit of its own; returns the state that holds. */
async function transition(deps: StateDeps, conv: Conversation, target: ReplyStateTarget): Promise<AiState> {
  const r = await inTransaction(deps, (trx, events) => changeReplyStateIn(trx, deps.clock, events, conv, conv, target));
  return r.applied ? target.to : r.conversation?.aiState ?? conv.aiState;
}

/**
 * The state that holds now, read only, with the change to record when it differs from the stored
 * one: a pause that ran out becomes active (unless a person wrote since, which extends it); an
 * active conversation where a person wrote within resume_after_minutes (and nobody resumed the
 * AI since) becomes paused.
 */
export async function decideAiState(db: Db, clock: Clock, conv: Conversation, settings: Pick<AiSettings, 'resumeAfterMinutes'>, turns?: Turn[]): Promise<{ state: AiState; record?: ReplyStateTarget }> {
  const now = clock.now().toISOString();
  if (conv.aiState === 'paused' && conv.aiPausedUntil && conv.aiPausedUntil <= now) {
    const until = await humanPauseUntil(db, conv, settings.resumeAfterMinutes, turns);
    return until && until > now ? { state: 'paused', record: { to: 'paused', until } } : { state: 'active', record: { to: 'active' } };
  }
  if (conv.aiState !== 'active') return { state: conv.aiState };
  const until = await humanPauseUntil(db, conv, settings.resumeAfterMinutes, turns);
  if (!until || until <= now) return { state: 'active' };
  return { state: 'paused', record: { to: 'paused', until } };
}

/** decideAiState, its change written at once (compare-and-set): the state that holds. Checked before every AI reply. */
export async function effectiveAiState(deps: StateDeps, conv: Conversation, settings: Pick<AiSettings, 'resumeAfterMinutes'>, turns?: Turn[]): Promise<AiState> {
  const d = await decideAiState(deps.db, deps.clock, conv, settings, turns);
  return d.record ? transition(deps, conv, d.record) : d.state;
}

/**
 * What a person's reply does (in its transaction): an active AI pauses until resume_after_minutes
 * after the reply, a timed pause runs until then if that is later, and a handed-off conversation
 * (a person has it now) is paused the same way. A pause "until resumed" and "off" stay.
 */
async function pauseForHumanIn(trx: Db, clock: Clock, events: MessagingEvent[], conv: Conversation): Promise<void> {
  if (conv.aiState === 'off' || (conv.aiState === 'paused' && !conv.aiPausedUntil)) return;
  const settings = await getAiSettings(trx, conv.clientId);
  if (!settings.enabled) return;
  const until = await humanPauseUntil(trx, conv, settings.resumeAfterMinutes);
  if (!until || until <= clock.now().toISOString() || (conv.aiState === 'paused' && conv.aiPausedUntil! >= until)) return;
  await changeReplyStateIn(trx, clock, events, conv, conv, { to: 'paused', until });
}

/** The target a person's choice names: `paused` for `minutes` (null: until resumed), `active`, `off`, `handed_off`. */
function personTarget(state: AiState, until: string | null): ReplyStateTarget {
  if (state === 'paused') return { to: 'paused', until };
  if (state === 'handed_off') return { to: 'handed_off', reason: 'person' };
  return { to: state };
}

/**
 * A person changes the AI state from the inbox or the API: `paused` for `minutes` (null: until
 * resumed), `active` (resume), `off`. A person's choice holds whatever the state was. Audited,
 * with the actor, in the change's own transaction.
 */
export async function changeAiState(deps: StateDeps, actor: AuditActor & { ip?: string }, clientId: string, conversationId: string, state: AiState, minutes: number | null = null): Promise<Conversation> {
  const now = deps.clock.now();
  const until = state === 'paused' && minutes ? new Date(now.getTime() + minutes * 60_000).toISOString() : null;
  const target = personTarget(state, until);
  return inTransaction(deps, async (trx, events) => {
    const before = await findConversation(trx, conversationId);
    if (!before || before.clientId !== clientId) throw notFound('No such conversation');
    const r = await changeReplyStateIn(trx, deps.clock, events, { id: conversationId, clientId }, ANY_STATE, target);
    if (state === 'active') await upsertAiConversation(trx, deps.clock, ids(before), { resumed_at: now.toISOString(), failures: 0 });
    await recordAudit(trx, deps.clock, { actor, action: 'ai_state.changed', clientId, targetType: 'conversation', targetId: conversationId, ip: actor.ip, details: { from: before.aiState, to: state, until } });
    return r.conversation!;
  });
}

/**
 * The AI state follows the people, inside the transaction of what they did (so it commits with
 * it, or not at all): a person's message (inbox, API, typed on the phone) pauses the AI;
 * resolving the conversation resumes a paused or handed-off AI (unless `resumeOnResolve` says the
 * client turned that off: Chatwoot's resume_ai_on_resolve); a resume marks earlier agent
 * messages as no longer pausing. The state changes it makes are added to the transaction's
 * events, which it also reads to their end (a resume it makes is recorded like any other), and
 * which the subscribers after it see (outgoing webhooks: src/pipeline.ts lists it before them).
 * A failure here is logged and does not undo the person's action: effectiveAiState still holds
 * the AI back. The composition subscribes it (src/pipeline.ts, HUB_SUBSCRIBERS).
 */
export function humanReplyWatcher(deps: { clock: Clock; log: Logger; resumeOnResolve?: (db: Db, clientId: string) => Promise<boolean> }): TransactionalSubscriber {
  return async (trx, events) => {
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      try {
        if ((e.type === 'message.queued' || e.type === 'message.sent') && e.message.authorKind === 'agent') {
          const conv = await findConversation(trx, e.message.conversationId);
          if (conv) await pauseForHumanIn(trx, deps.clock, events, conv);
        } else if (e.type === 'conversation.updated' && e.change === 'status' && e.conversation.status === 'resolved') {
          const conv = await findConversation(trx, e.conversation.id);
          if (conv && (conv.aiState === 'paused' || conv.aiState === 'handed_off') && (await (deps.resumeOnResolve?.(trx, conv.clientId) ?? true))) {
            await changeReplyStateIn(trx, deps.clock, events, conv, conv, { to: 'active' });
          }
        } else if (e.type === 'conversation.updated' && e.change === 'ai_state' && e.conversation.aiState === 'active') {
          await upsertAiConversation(trx, deps.clock, ids(e.conversation), { resumed_at: e.at });
        }
      } catch (err) {
        deps.log.error('ai', 'AI state update failed', { type: e.type, error: err as Error });
      }
    }
  };
}
