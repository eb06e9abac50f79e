// The automation room's jobs: the timer of conversation.no_agent_reply, the conversation.resolved
// event, and the actions that other rooms carry out (tags, resolve, assign, call_webhook).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { markJobDone, type Job, type JobHandler } from '../jobs/index.ts';
import {
  assignConversation, channelAccountRef, findContact, findConversation, findMessage, inTransaction, lastAgentMessageAt, setConversationStatus,
  updateContactWithEvents, type Conversation, type EventHub,
} from '../messaging/index.ts';
import { getWebhook, queueWebhookDeliveries } from '../webhooks/index.ts';
import { automationRevision } from './store.ts';
import { loadClientAutomation } from './client-set.ts';
import { evaluateRules, type Rule } from './evaluate.ts';
import { AUTOMATION_ACTIONS_JOB, applyPlanIn, conversationLanguage, planActions, underCap } from './actions.ts';
import { NO_AGENT_REPLY_JOB, ruleContext } from './rules-step.ts';
import type { Action, RuleEvent } from './rule-schema.ts';

export const AUTOMATION_EVENT_JOB = 'automation.event';
/** Who the audit log names for a rule's changes. */
export const AUTOMATION_ACTOR = { ...SYSTEM_ACTOR, label: 'automation rule' };

export interface RuleJobDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  hub: EventHub;
}

/** Evaluates `pick`'s rules for the event on the conversation as it is now, and applies what matched (the job finishes with it). */
async function fireOn(deps: RuleJobDeps, job: Job, conversationId: string, event: RuleEvent, text: string, pick: (rules: Rule[]) => Rule[]): Promise<void> {
  const conversation = await findConversation(deps.db, conversationId);
  if (!conversation) return;
  const [contact, channel] = await Promise.all([findContact(deps.db, conversation.contactId), channelAccountRef(deps.db, conversation.channelAccountId)]);
  if (!contact || !channel) return;
  const now = deps.clock.now();
  const set = await loadClientAutomation(deps.db, conversation.clientId, await automationRevision(deps.db, conversation.clientId), now.getTime());
  const ev = evaluateRules(pick(set.byEvent.get(event) ?? []), { type: event }, ruleContext(set, { conversation, contact, channel }, text), now);
  if (!ev.matched.length || !(await underCap(deps.db, conversation.id, now))) return;
  const plan = planActions(set, ev, contact, await conversationLanguage(deps.db, conversation.id, set.defaultLanguage), now);
  await inTransaction(deps, async (trx, events) => {
    if (!(await markJobDone(trx, deps.clock, job.id))) return;
    const current = await findConversation(trx, conversation.id);
    if (current) await applyPlanIn(trx, deps.clock, events, current, plan, `job:${job.id}`);
  });
}

/** conversation.no_agent_reply: fires unless a person wrote since the customer's message, or the conversation was resolved. */
export function noAgentReplyHandler(deps: RuleJobDeps): JobHandler {
  return {
    kind: NO_AGENT_REPLY_JOB,
    async run(job) {
      const p = job.payload as { conversation_id: string; rule_id: string; message_id: string; since: string };
      const conversation = await findConversation(deps.db, p.conversation_id);
      if (!conversation || conversation.status === 'resolved') return;
      const agentAt = await lastAgentMessageAt(deps.db, conversation.id, 200);
      if (agentAt && agentAt >= p.since) return;
      const message = await findMessage(deps.db, p.message_id);
      await fireOn(deps, job, conversation.id, 'conversation.no_agent_reply', message?.text ?? '', (rules) => rules.filter((r) => r.id === p.rule_id));
    },
  };
}

/** An event that happened to a conversation (conversation.resolved), its rules evaluated after the fact. */
export function automationEventHandler(deps: RuleJobDeps): JobHandler {
  return {
    kind: AUTOMATION_EVENT_JOB,
    async run(job) {
      const p = job.payload as { conversation_id: string; event: RuleEvent };
      await fireOn(deps, job, p.conversation_id, p.event, '', (rules) => rules);
    },
  };
}

/** The actions other rooms carry out, each through the command that owns its change. */
export function automationActionsHandler(deps: RuleJobDeps & { represent: (c: Conversation) => object }): JobHandler {
  return {
    kind: AUTOMATION_ACTIONS_JOB,
    async run(job) {
      const p = job.payload as { conversation_id: string; actions: Action[] };
      for (const a of p.actions) {
        const conv = await findConversation(deps.db, p.conversation_id);
        if (!conv) return;
        await runAction(deps, conv, a);
      }
    },
  };
}

async function runAction(deps: RuleJobDeps & { represent: (c: Conversation) => object }, conv: Conversation, a: Action): Promise<void> {
  if (a.type === 'add_tag' || a.type === 'remove_tag') {
    const contact = await findContact(deps.db, conv.contactId);
    if (!contact) return;
    const has = contact.tags.includes(a.tag);
    if (has === (a.type === 'add_tag')) return;
    const tags = a.type === 'add_tag' ? [...contact.tags, a.tag] : contact.tags.filter((t) => t !== a.tag);
    await updateContactWithEvents(deps, conv.clientId, contact.id, { tags }, AUTOMATION_ACTOR);
  } else if (a.type === 'resolve') {
    await setConversationStatus(deps, conv.clientId, conv.id, 'resolved');
  } else if (a.type === 'assign') {
    try {
      await assignConversation(deps, conv.clientId, conv.id, a.member_id);
    } catch (err) {
      deps.log.warn('jobs', 'automation rule could not assign', { conversation_id: conv.id, error: err as Error });
    }
  } else if (a.type === 'call_webhook') {
    const hook = await getWebhook(deps.db, conv.clientId, a.webhook_id).catch(() => undefined);
    if (!hook?.active) return;
    const now = deps.clock.now().toISOString();
    await deps.db.transaction().execute((trx) => queueWebhookDeliveries(trx, deps.clock, [{ id: hook.id, events: ['conversation.updated'] }], {
      clientId: conv.clientId, event: 'conversation.updated', contactId: conv.contactId, data: { ...deps.represent({ ...conv, updatedAt: now }), change: 'rule' },
    }));
  }
}
