// Per-conversation AI state (conversations.ai_state: active | paused | handed_off | off).
// A human reply pauses the AI until resume_after_minutes have passed; resolving the
// conversation or a person's button resumes it. The pause is derived from the stored messages
// as well as set on the live event, so a missed event cannot make the AI talk over a person.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { recordAudit, type AuditActor } from '../audit/index.ts';
import { getConversation, setAiState, type AiState, type Conversation, type EventHub } from '../messaging/index.ts';
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

/**
 * The state that holds now: an expired pause becomes active; an active conversation where a
 * person wrote within resume_after_minutes (and nobody resumed the AI since) becomes paused.
 * Writes the change, so the inbox shows it.
 */
export async function effectiveAiState(deps: StateDeps, conv: Conversation, settings: Pick<AiSettings, 'resumeAfterMinutes'>, turns?: Turn[]): Promise<AiState> {
  const now = deps.clock.now();
  if (conv.aiState === 'paused' && conv.aiPausedUntil && conv.aiPausedUntil <= now.toISOString()) {
    await resume(deps, conv);
    return 'active';
  }
  if (conv.aiState !== 'active' || settings.resumeAfterMinutes <= 0) return conv.aiState;
  const human = await lastHumanAt(deps.db, conv.id, turns);
  if (!human) return 'active';
  const state = await getAiConversation(deps.db, conv.id);
  if (state?.resumed_at && state.resumed_at >= human) return 'active';
  const until = new Date(new Date(human).getTime() + settings.resumeAfterMinutes * 60_000);
  if (until <= now) return 'active';
  await setAiState(deps, conv.clientId, conv.id, 'paused', until.toISOString());
  return 'paused';
}

async function resume(deps: StateDeps, conv: Conversation): Promise<void> {
  await upsertAiConversation(deps.db, deps.clock, ids(conv), { resumed_at: deps.clock.now().toISOString() });
  await setAiState(deps, conv.clientId, conv.id, 'active');
}

/** A person of the business replied: pause the AI for resume_after_minutes (if it was active). */
export async function pauseForHuman(deps: StateDeps, conv: Conversation): Promise<void> {
  if (conv.aiState !== 'active') return;
  const settings = await getAiSettings(deps.db, conv.clientId);
  if (!settings.enabled) return;
  await effectiveAiState(deps, conv, settings);
}

/**
 * A person changes the AI state from the inbox or the AI screen: `paused` for `minutes` (null:
 * until resumed), `active` (resume), `off`. Audited.
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

/**
 * Live reactions on the event hub: an agent's message pauses the AI at once; resolving a
 * conversation resumes it. (The durable path is effectiveAiState, checked before every reply.)
 */
export function watchHumanReplies(deps: StateDeps & { log: Logger }): () => void {
  const failed = (err: unknown) => deps.log.error('ai', 'AI state update failed', { error: err as Error });
  return deps.hub.subscribe((e) => {
    if ((e.type === 'message.queued' || e.type === 'message.sent') && e.message.authorKind === 'agent') {
      void getConversation(deps.db, e.clientId, e.message.conversationId).then((c) => pauseForHuman(deps, c)).catch(failed);
    } else if (e.type === 'conversation.updated' && e.change === 'status' && e.conversation.status === 'resolved' && (e.conversation.aiState === 'paused' || e.conversation.aiState === 'handed_off')) {
      void resume(deps, e.conversation).catch(failed);
    } else if (e.type === 'conversation.updated' && e.change === 'ai_state' && e.conversation.aiState === 'active') {
      // Resumed by a person elsewhere (inbox, API): earlier agent messages no longer pause it.
      void upsertAiConversation(deps.db, deps.clock, ids(e.conversation), { resumed_at: e.at }).catch(failed);
    }
  }, { types: ['message.queued', 'message.sent', 'conversation.updated'] });
}
