// Per-conversation AI state (conversations.ai_state: active | paused | handed_off | off).
// A human reply pauses the AI until resume_after_minutes after the person's latest message;
// resolving the conversation or a person's button resumes it. The pause is written in the reply's
// own transaction and also derived from the stored messages before every AI reply, so nothing
// (a restart, a failed write) can make the AI talk over a person. Every automatic change is a
// compare-and-set against the state it was decided on: it never overwrites a person's choice.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { recordAudit, type AuditActor } from '../audit/index.ts';
import { getConversation, inTransaction, setAiState, toConversation, type AiState, type Conversation, type EventHub, type MessagingEvent } from '../messaging/index.ts';
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
  const recent = db.selectFrom('messages').select(['author_kind', 'created_at', 'id']).where('conversation_id', '=', conversationId)
    .orderBy('id', 'desc').limit(RECENT_SCAN).as('recent');
  const r = await db.selectFrom(recent).select('created_at').where('author_kind', '=', 'agent').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r?.created_at ?? null;
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

/**
 * Inside a transaction: moves the conversation from the state `conv` shows to `to`, only if it
 * still is in that state (else nothing). Returns the state that holds and the event to publish.
 */
async function transitionIn(trx: Db, clock: Clock, conv: Conversation, to: AiState, until: string | null): Promise<{ state: AiState; event?: MessagingEvent }> {
  const row = await trx.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirst();
  if (!row) return { state: conv.aiState };
  if (row.ai_state !== conv.aiState || row.ai_paused_until !== conv.aiPausedUntil) return { state: row.ai_state as AiState };
  const now = clock.now().toISOString();
  if (to === 'active') await upsertAiConversation(trx, clock, ids(conv), { resumed_at: now });
  await trx.updateTable('conversations').set({ ai_state: to, ai_paused_until: until, updated_at: now }).where('id', '=', conv.id).execute();
  const conversation = toConversation({ ...row, ai_state: to, ai_paused_until: until, updated_at: now });
  return { state: to, event: { type: 'conversation.updated', clientId: conv.clientId, at: now, change: 'ai_state', conversation } };
}

/** transitionIn in a transaction of its own (conversation.updated published after the commit). */
function transition(deps: StateDeps, conv: Conversation, to: AiState, until: string | null): Promise<AiState> {
  return inTransaction(deps, async (trx, events) => {
    const r = await transitionIn(trx, deps.clock, conv, to, until);
    if (r.event) events.push(r.event);
    return r.state;
  });
}

/**
 * The state that holds now, written when it changed: a pause that ran out becomes active (unless
 * a person wrote since, which extends it); an active conversation where a person wrote within
 * resume_after_minutes (and nobody resumed the AI since) becomes paused. Checked before every reply.
 */
export async function effectiveAiState(deps: StateDeps, conv: Conversation, settings: Pick<AiSettings, 'resumeAfterMinutes'>, turns?: Turn[]): Promise<AiState> {
  const now = deps.clock.now().toISOString();
  if (conv.aiState === 'paused' && conv.aiPausedUntil && conv.aiPausedUntil <= now) {
    const until = await humanPauseUntil(deps.db, conv, settings.resumeAfterMinutes, turns);
    return transition(deps, conv, until && until > now ? 'paused' : 'active', until && until > now ? until : null);
  }
  if (conv.aiState !== 'active') return conv.aiState;
  const until = await humanPauseUntil(deps.db, conv, settings.resumeAfterMinutes, turns);
  if (!until || until <= now) return 'active';
  return transition(deps, conv, 'paused', until);
}

/**
 * What a person's reply does (in its transaction): an active AI pauses until resume_after_minutes
 * after the reply, a timed pause runs until then if that is later, and a handed-off conversation
 * (a person has it now) is paused the same way. A pause "until resumed" and "off" stay.
 */
async function pauseForHumanIn(trx: Db, clock: Clock, conv: Conversation): Promise<MessagingEvent | undefined> {
  if (conv.aiState === 'off' || (conv.aiState === 'paused' && !conv.aiPausedUntil)) return undefined;
  const settings = await getAiSettings(trx, conv.clientId);
  if (!settings.enabled) return undefined;
  const until = await humanPauseUntil(trx, conv, settings.resumeAfterMinutes);
  if (!until || until <= clock.now().toISOString() || (conv.aiState === 'paused' && conv.aiPausedUntil! >= until)) return undefined;
  return (await transitionIn(trx, clock, conv, 'paused', until)).event;
}

/**
 * A person changes the AI state from the inbox or the API: `paused` for `minutes` (null: until
 * resumed), `active` (resume), `off`. Audited, with the actor.
 */
export async function changeAiState(deps: StateDeps, actor: AuditActor & { ip?: string }, clientId: string, conversationId: string, state: AiState, minutes: number | null = null): Promise<Conversation> {
  const conv = await getConversation(deps.db, clientId, conversationId);
  const now = deps.clock.now();
  const until = state === 'paused' && minutes ? new Date(now.getTime() + minutes * 60_000).toISOString() : null;
  if (state === 'active') await upsertAiConversation(deps.db, deps.clock, ids(conv), { resumed_at: now.toISOString(), failures: 0 });
  const updated = await setAiState(deps, clientId, conversationId, state, until);
  await recordAudit(deps.db, deps.clock, { actor, action: 'ai_state.changed', clientId, targetType: 'conversation', targetId: conversationId, ip: actor.ip, details: { from: conv.aiState, to: state, until } });
  return updated;
}

const currentConversation = async (trx: Db, id: string) => {
  const row = await trx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toConversation(row) : undefined;
};

/**
 * The AI state follows the people, inside the transaction of what they did (so it commits with
 * it, or not at all): a person's message (inbox, API, typed on the phone) pauses the AI;
 * resolving the conversation resumes a paused or handed-off AI; a resume marks earlier agent
 * messages as no longer pausing. The state changes it makes are added to the transaction's
 * events (the inbox's live stream; webhooks subscribed after it see them too). A failure here is
 * logged and does not undo the person's action: effectiveAiState still holds the AI back.
 */
export function watchHumanReplies(deps: StateDeps & { log: Logger }): () => void {
  return deps.hub.subscribeInTransaction(async (trx, events) => {
    for (const e of [...events]) {
      try {
        let change: MessagingEvent | undefined;
        if ((e.type === 'message.queued' || e.type === 'message.sent') && e.message.authorKind === 'agent') {
          const conv = await currentConversation(trx, e.message.conversationId);
          if (conv) change = await pauseForHumanIn(trx, deps.clock, conv);
        } else if (e.type === 'conversation.updated' && e.change === 'status' && e.conversation.status === 'resolved') {
          const conv = await currentConversation(trx, e.conversation.id);
          if (conv && (conv.aiState === 'paused' || conv.aiState === 'handed_off')) change = (await transitionIn(trx, deps.clock, conv, 'active', null)).event;
        } else if (e.type === 'conversation.updated' && e.change === 'ai_state' && e.conversation.aiState === 'active') {
          await upsertAiConversation(trx, deps.clock, ids(e.conversation), { resumed_at: e.at });
        }
        if (change) events.push(change);
      } catch (err) {
        deps.log.error('ai', 'AI state update failed', { type: e.type, error: err as Error });
      }
    }
  });
}
