import { compiled, type Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob } from '../jobs/index.ts';
import { newId } from '../lib/ids.ts';
import { getAiSettings } from '../ai/index.ts';
import type { MessagingEvent, TransactionalSubscriber } from '../messaging/index.ts';
import type { ChatwootStatus } from './client.ts';

/** The job kind of every mirror step (payload.op: message, failed, status, assign). */
export const CHATWOOT_MIRROR_KIND = 'chatwoot.mirror';
/** Retried with backoff while Chatwoot is down (capped at 5 minutes): about a day of attempts. */
export const MIRROR_MAX_ATTEMPTS = 300;

export type MirrorOp =
  | { op: 'message'; message_id: string }
  | { op: 'failed'; message_id: string }
  | { op: 'status'; conversation_id: string; status: ChatwootStatus }
  | { op: 'assign'; conversation_id: string; user_id: string | null };

const connected = compiled<{ clientId: string }, { one: number }>((db, arg) =>
  db.selectFrom('chatwoot_accounts').select((eb) => eb.lit(1).as('one')).where('client_id', '=', arg('clientId')).where('connected_at', 'is not', null));

/**
 * Queues one mirror step inside the caller's transaction. Steps of one conversation run strictly
 * in order (one queue per conversation), so a message never overtakes the one before it, also
 * when a long outage is caught up.
 */
export function enqueueMirror(trx: Db, clock: Clock, s: { clientId: string; conversationId: string; contactId: string; key: string; op: MirrorOp }) {
  return enqueueJob(trx, clock, {
    kind: CHATWOOT_MIRROR_KIND, clientId: s.clientId, contactId: s.contactId, conversationId: s.conversationId, payload: s.op,
    idempotencyKey: s.key, queueKey: `chatwoot:${s.conversationId}`, maxAttempts: MIRROR_MAX_ATTEMPTS,
  });
}

/** What a hub event asks of Chatwoot, if anything. */
function stepOf(e: MessagingEvent): { key: string; op: MirrorOp; conversationId: string; contactId: string } | undefined {
  if (e.type === 'message.received' || e.type === 'message.sent') {
    const m = e.message;
    return { key: `chatwoot:msg:${m.id}`, op: { op: 'message', message_id: m.id }, conversationId: m.conversationId, contactId: m.contactId };
  }
  if (e.type === 'message.failed') {
    const m = e.message;
    return { key: `chatwoot:failed:${m.id}`, op: { op: 'failed', message_id: m.id }, conversationId: m.conversationId, contactId: m.contactId };
  }
  if (e.type !== 'conversation.updated') return undefined;
  const c = e.conversation;
  if (e.change === 'assignee') {
    return { key: `chatwoot:assign:${c.id}:${newId()}`, op: { op: 'assign', conversation_id: c.id, user_id: c.assigneeUserId }, conversationId: c.id, contactId: c.contactId };
  }
  let status: ChatwootStatus | undefined;
  // The people's side is open: a handoff, a person's pause. While the AI owns it, it is pending.
  if (e.change === 'ai_state') status = c.status === 'resolved' ? undefined : c.aiState === 'active' ? 'pending' : c.aiState === 'off' ? undefined : 'open';
  else if (e.change === 'status' || e.change === 'reopened') status = c.status === 'resolved' ? 'resolved' : c.aiState === 'active' ? 'pending' : 'open';
  if (!status) return undefined;
  return { key: `chatwoot:status:${c.id}:${newId()}`, op: { op: 'status', conversation_id: c.id, status }, conversationId: c.id, contactId: c.contactId };
}

/**
 * The Chatwoot mirror, a transactional hub subscriber: for a connected client, each message stored
 * or sent, each failed delivery and each handoff or status change queues its mirror job inside the
 * cause's transaction (a crash loses both or neither). One indexed look-up per client and
 * transaction; nothing more for a client without Chatwoot. The composition subscribes it
 * (src/pipeline.ts, after the AI state watcher, whose handoffs and resumes it mirrors).
 */
export function chatwootMirror(deps: { clock: Clock }): TransactionalSubscriber {
  return async (trx, events) => {
    const on = new Map<string, boolean>();
    for (const e of events) {
      const step = stepOf(e);
      if (!step) continue;
      let yes = on.get(e.clientId);
      if (yes === undefined) on.set(e.clientId, yes = !!(await connected.first(trx, { clientId: e.clientId })));
      if (!yes) continue;
      // Without an assistant switched on, nobody automatic owns a conversation: open, not pending.
      if (step.op.op === 'status' && step.op.status === 'pending' && !(await getAiSettings(trx, e.clientId)).enabled) step.op.status = 'open';
      await enqueueMirror(trx, deps.clock, { clientId: e.clientId, ...step });
    }
  };
}
