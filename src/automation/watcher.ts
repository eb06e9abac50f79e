// The automation room's hub subscriber (transactional, so what it writes commits with its cause):
// remembers which customer message opened or reopened a conversation (conversation.opened), cancels
// the no-agent-reply timers once a person writes or the conversation is resolved, and queues the
// conversation.resolved rules. The composition subscribes it (src/pipeline.ts, HUB_SUBSCRIBERS).
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { cancelPendingJobs, enqueueJob } from '../jobs/index.ts';
import type { Db } from '../db/index.ts';
import type { MessagingEvent, TransactionalSubscriber } from '../messaging/index.ts';
import { NO_AGENT_REPLY_JOB } from './rules-step.ts';
import { AUTOMATION_EVENT_JOB } from './rule-jobs.ts';

async function hasEnabledRulesFor(trx: Db, clientId: string, event: string): Promise<boolean> {
  const rows = await trx.selectFrom('automation_rules').select('definition').where('client_id', '=', clientId).where('enabled', '=', 1).execute();
  return rows.some((r) => (JSON.parse(r.definition) as { trigger: { event: string } }).trigger.event === event);
}

async function onEvent(trx: Db, clock: Clock, e: MessagingEvent, events: MessagingEvent[]): Promise<void> {
  if (e.type === 'conversation.updated' && (e.change === 'created' || e.change === 'reopened')) {
    const m = events.find((x) => x.type === 'message.received' && x.message.conversationId === e.conversation.id && x.message.direction === 'in');
    if (m && 'message' in m) {
      await trx.insertInto('conversation_openings').values({ conversation_id: e.conversation.id, client_id: e.clientId, message_id: m.message.id })
        .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ message_id: m.message.id })).execute();
    }
  } else if ((e.type === 'message.queued' || e.type === 'message.sent') && e.message.authorKind === 'agent') {
    await cancelPendingJobs(trx, clock, { conversationId: e.message.conversationId, kind: NO_AGENT_REPLY_JOB, reason: 'cancelled: a person replied' });
  } else if (e.type === 'conversation.updated' && e.change === 'status' && e.conversation.status === 'resolved') {
    await cancelPendingJobs(trx, clock, { conversationId: e.conversation.id, kind: NO_AGENT_REPLY_JOB, reason: 'cancelled: the conversation was resolved' });
    if (await hasEnabledRulesFor(trx, e.clientId, 'conversation.resolved')) {
      await enqueueJob(trx, clock, {
        kind: AUTOMATION_EVENT_JOB, clientId: e.clientId, contactId: e.conversation.contactId, conversationId: e.conversation.id,
        payload: { conversation_id: e.conversation.id, event: 'conversation.resolved' }, idempotencyKey: `${AUTOMATION_EVENT_JOB}:resolved:${e.conversation.id}:${e.at}`,
      });
    }
  }
}

export function automationWatcher(deps: { clock: Clock; log: Logger }): TransactionalSubscriber {
  return async (trx, events) => {
    for (const e of [...events]) {
      try {
        await onEvent(trx, deps.clock, e, events);
      } catch (err) {
        deps.log.error('jobs', 'automation watcher failed', { type: e.type, error: err as Error });
      }
    }
  };
}
