// Per-conversation AI state (conversations.ai_state: active | paused | handed_off | off).
// A human reply pauses the AI until resume_after_minutes after the person's latest message;
// resolving the conversation or a person's button resumes it. The pause is derived from the
// stored messages as well as set on the live event, so a missed event (a restart) cannot make
// the AI talk over a person. Every automatic change is a compare-and-set against the state it
// was decided on, so it never overwrites what a person chose meanwhile.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { recordAudit, type AuditActor } from '../audit/index.ts';
import { getConversation, inTransaction, setAiState, toConversation, type AiState, type Conversation, type EventHub } from '../messaging/index.ts';
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
 * Moves the conversation from the state `conv` shows to `to`, only if it still is in that state
 * (else nothing, and the state found is returned). Publishes conversation.updated.
 */
async function transition(deps: StateDeps, conv: Conversation, to: AiState, until: string | null): Promise<AiState> {
  return inTransaction(deps, async (trx, events) => {
    const row = await trx.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirst();
    if (!row) return conv.aiState;
    if (row.ai_state !== conv.aiState || row.ai_paused_until !== conv.aiPausedUntil) return row.ai_state as AiState;
    const now = deps.clock.now().toISOString();
    if (to === 'active') await upsertAiConversation(trx, deps.clock, ids(conv), { resumed_at: now });
    await trx.updateTable('conversations').set({ ai_state: to, ai_paused_until: until, updated_at: now }).where('id', '=', conv.id).execute();
    events.push({ type: 'conversation.updated', clientId: conv.clientId, at: now, change: 'ai_state', conversation: toConversation({ ...row, ai_state: to, ai_paused_until: until, updated_at: now }) });
    return to;
  });
}

/**
 * The state that holds now, written when it changed: a pause that ran out becomes active (unless
 * a person wrote since, which extends it); an active conversation where a person wrote within
 * resume_after_minutes (and nobody resumed the AI since) becomes paused.
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
 * A person of the business replied: an active AI pauses for resume_after_minutes, a timed pause
 * runs until that long after this reply, and a handed-off conversation (a person has it now) is
 * paused the same way. A pause "until resumed" and "off" stay as they are.
 */
export async function pauseForHuman(deps: StateDeps, conv: Conversation): Promise<void> {
  if (conv.aiState === 'off' || (conv.aiState === 'paused' && !conv.aiPausedUntil)) return;
  const settings = await getAiSettings(deps.db, conv.clientId);
  if (!settings.enabled) return;
  if (conv.aiState === 'active') {
    await effectiveAiState(deps, conv, settings);
    return;
  }
  const until = await humanPauseUntil(deps.db, conv, settings.resumeAfterMinutes);
  if (!until || until <= deps.clock.now().toISOString() || (conv.aiPausedUntil && conv.aiPausedUntil >= until)) return;
  await transition(deps, conv, 'paused', until);
}

/** The conversation was resolved: a paused or handed-off AI resumes ("off" stays off). */
export async function resumeOnResolve(deps: StateDeps, conv: Conversation): Promise<void> {
  if (conv.status !== 'resolved' || (conv.aiState !== 'paused' && conv.aiState !== 'handed_off')) return;
  await transition(deps, conv, 'active', null);
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
  await recordAudit(deps.db, deps.clock, { actor, action: 'ai.state.changed', clientId, targetType: 'conversation', targetId: conversationId, ip: actor.ip, details: { from: conv.aiState, to: state, until } });
  return updated;
}

/** A person's reply was just stored (the inbox, the API): the pause, applied before the request answers. */
export async function pauseAfterHumanReply(deps: StateDeps, clientId: string, conversationId: string): Promise<void> {
  await pauseForHuman(deps, await getConversation(deps.db, clientId, conversationId));
}

/** The conversation was just resolved (the inbox, the API): the resume, applied before the request answers. */
export async function resumeAfterResolve(deps: StateDeps, clientId: string, conversationId: string): Promise<void> {
  await resumeOnResolve(deps, await getConversation(deps.db, clientId, conversationId));
}

/**
 * Live reactions on the event hub: an agent's message (inbox, API, Chatwoot, the phone) pauses
 * the AI at once; resolving a conversation resumes it. (The durable path is effectiveAiState,
 * checked before every reply; the inbox also resumes on resolve directly.)
 */
export function watchHumanReplies(deps: StateDeps & { log: Logger }): () => void {
  const failed = (err: unknown) => deps.log.error('ai', 'AI state update failed', { error: err as Error });
  return deps.hub.subscribe((e) => {
    if ((e.type === 'message.queued' || e.type === 'message.sent') && e.message.authorKind === 'agent') {
      void getConversation(deps.db, e.clientId, e.message.conversationId).then((c) => pauseForHuman(deps, c)).catch(failed);
    } else if (e.type === 'conversation.updated' && e.change === 'status') {
      void resumeOnResolve(deps, e.conversation).catch(failed);
    } else if (e.type === 'conversation.updated' && e.change === 'ai_state' && e.conversation.aiState === 'active') {
      // Resumed by a person elsewhere (e.g. the API): earlier agent messages no longer pause it.
      void upsertAiConversation(deps.db, deps.clock, ids(e.conversation), { resumed_at: e.at }).catch(failed);
    }
  }, { types: ['message.queued', 'message.sent', 'conversation.updated'] });
}
