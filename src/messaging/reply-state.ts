// The conversation's automatic-reply state (conversations.ai_state and ai_paused_until): this
// module is its only writer. Several parties decide on it (the AI's policy, the people's replies,
// the responder chain's handoff, a person's button or API call, later rules and Chatwoot); each
// change is a compare-and-set against the state it was decided on, so a decision made on a state
// that has changed since (a person paused while the AI's handoff was on its way) does nothing and
// says so, and never overwrites the other party's choice.
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ConversationsTable } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { toConversation } from './conversations.ts';
import type { EventHub, MessagingEvent } from './events.ts';
import { inTransaction } from './transaction.ts';
import { AI_STATES, type AiState, type Conversation } from './types.ts';

/** Where the state goes: hand off (with why), pause until a time (null: until resumed), resume, turn off. */
export type ReplyStateTarget =
  | { to: 'handed_off'; reason: string }
  | { to: 'paused'; until: string | null }
  | { to: 'active' }
  | { to: 'off' };

/**
 * What the change was decided on: the state as the decider saw it (it applies only if the
 * conversation still is exactly in it), or a predicate on the current conversation.
 */
export type ReplyStateExpectation = Pick<Conversation, 'aiState' | 'aiPausedUntil'> | ((current: Conversation) => boolean);

/** A person's choice holds whatever the state was: the expectation of the people's own commands. */
export const ANY_STATE: ReplyStateExpectation = () => true;

export interface ReplyStateOutcome {
  /** Whether the expectation held (then the conversation is in the target state now). */
  applied: boolean;
  /** The conversation as it is after the call (undefined: no such conversation of that client). */
  conversation?: Conversation;
  /** conversation.updated (change ai_state), when the state actually changed: publish it with the transaction. */
  event?: MessagingEvent;
}

const rowById = compiled<{ id: string; clientId: string }, Selectable<ConversationsTable>>((db, arg) =>
  db.selectFrom('conversations').selectAll().where('id', '=', arg('id')).where('client_id', '=', arg('clientId')));
const writeState = compiled<{ id: string; state: string; until: string | null; now: string }>((db, arg) =>
  db.updateTable('conversations').set({ ai_state: arg('state'), ai_paused_until: arg('until'), updated_at: arg('now') }).where('id', '=', arg('id')));

const holds = (expect: ReplyStateExpectation, c: Conversation) =>
  typeof expect === 'function' ? expect(c) : c.aiState === expect.aiState && c.aiPausedUntil === expect.aiPausedUntil;

/**
 * Inside the caller's transaction: moves the client's conversation to `target` if `expect` holds
 * for its current state. The event, when there is one, is also pushed to `events` (the caller's
 * unit publishes it: webhooks and the live inbox).
 */
export async function changeReplyStateIn(
  trx: Db, clock: Clock, events: MessagingEvent[], ref: { id: string; clientId: string }, expect: ReplyStateExpectation, target: ReplyStateTarget,
): Promise<ReplyStateOutcome> {
  if (!AI_STATES.includes(target.to)) throw badRequest('The AI state must be active, paused, handed_off or off', 'ai_state');
  const row = await rowById.first(trx, ref);
  if (!row) return { applied: false };
  const current = toConversation(row);
  if (!holds(expect, current)) return { applied: false, conversation: current };
  const until = target.to === 'paused' ? target.until : null;
  if (current.aiState === target.to && current.aiPausedUntil === until) return { applied: true, conversation: current };
  const now = clock.now().toISOString();
  await writeState.execute(trx, { id: ref.id, state: target.to, until, now });
  const conversation = { ...current, aiState: target.to as AiState, aiPausedUntil: until, updatedAt: now };
  const event: MessagingEvent = {
    type: 'conversation.updated', clientId: ref.clientId, at: now, change: 'ai_state', conversation,
    ...(target.to === 'handed_off' ? { reason: target.reason } : {}),
  };
  events.push(event);
  return { applied: true, conversation, event };
}

/**
 * changeReplyStateIn as a unit of its own (the event published after the commit). A conversation
 * the client does not have is "not found".
 */
export async function changeReplyState(
  deps: { db: Db; clock: Clock; hub: EventHub }, ref: { id: string; clientId: string }, expect: ReplyStateExpectation, target: ReplyStateTarget,
): Promise<ReplyStateOutcome> {
  const r = await inTransaction(deps, (trx, events) => changeReplyStateIn(trx, deps.clock, events, ref, expect, target));
  if (!r.conversation) throw notFound('No such conversation');
  return r;
}
