// The rules as a responder step (order 100: after STOP/START, before the AI). For an inbound
// message it evaluates the rules of contact.first_message, conversation.opened and
// message.received (in that order; `stop` ends them all), sends the out-of-hours template when
// the client is closed and no rule answered, and arms the timers of conversation.no_agent_reply.
// A rule message, a handoff or a pause takes the message (the AI does not answer it as well);
// otherwise the chain goes on (rules that only tag let the AI answer). Rules run whatever the AI
// state; the rule messages do not pause the AI.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import { enqueueJob } from '../jobs/index.ts';
import {
  autoReplyDue, autoReplySettings, lastAgentMessageAt, markAutoRepliedIn, queueOutbound, type ResponderInput, type ResponderStep,
} from '../messaging/index.ts';
import { detectLanguage } from '../ai/index.ts';
import { AutomationCache, type ClientAutomation } from './client-set.ts';
import { evaluateRules, type Evaluation, type RuleContext } from './evaluate.ts';
import { applyPlanIn, planActions, renderFor, underCap, type Plan } from './actions.ts';
import { hasHours, isOpenAt } from './business-hours.ts';
import type { RuleEvent } from './rule-schema.ts';

export const RULES_STEP_ORDER = 100;
export const NO_AGENT_REPLY_JOB = 'automation.no_agent_reply';

const EMPTY_PLAN: Plan = { sends: [], side: [], ruleIds: [] };

export interface AutomationDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  vault: Vault;
}

/** The conditions' view of a conversation now (`text` and `language`: the message the rules look at). */
export function ruleContext(set: ClientAutomation, input: Pick<ResponderInput, 'conversation' | 'contact' | 'channel'>, text: string): RuleContext {
  return {
    text, language: detectLanguage(text, set.defaultLanguage as 'ru'), channel: { id: input.channel.id, kind: input.channel.kind }, tags: input.contact.tags,
    aiState: input.conversation.aiState, status: input.conversation.status, hours: set.hours, timezone: set.timezone, memo: set.memo,
  };
}

/** Evaluates the events in order; a `stop` in one ends the later ones too. */
export function evaluateEvents(set: ClientAutomation, events: RuleEvent[], ctx: RuleContext, now: Date): Evaluation {
  const out: Evaluation = { matched: [], actions: [], stopped: false };
  for (const type of events) {
    const ev = evaluateRules(set.byEvent.get(type) ?? [], { type }, ctx, now);
    out.matched.push(...ev.matched);
    out.actions.push(...ev.actions);
    if (ev.stopped) return { ...out, stopped: true };
  }
  return out;
}

async function isFirstOfContact(db: Db, contactId: string, messageId: string): Promise<boolean> {
  const earlier = await db.selectFrom('messages').select('id').where('contact_id', '=', contactId).where('direction', '=', 'in').where('id', '<', messageId).limit(1).executeTakeFirst();
  return !earlier;
}

async function openedBy(db: Db, conversationId: string): Promise<string | undefined> {
  return (await db.selectFrom('conversation_openings').select('message_id').where('conversation_id', '=', conversationId).executeTakeFirst())?.message_id;
}

/** Which events this inbound message is (the costly look-ups only when the client has rules for them). */
async function eventsOf(db: Db, set: ClientAutomation, input: ResponderInput, opened: () => Promise<string | undefined>): Promise<RuleEvent[]> {
  const events: RuleEvent[] = [];
  if (set.byEvent.has('contact.first_message') && await isFirstOfContact(db, input.contact.id, input.message.id)) events.push('contact.first_message');
  if (set.byEvent.has('conversation.opened') && (await opened()) === input.message.id) events.push('conversation.opened');
  events.push('message.received');
  return events;
}

/** The out-of-hours template's text, when it is due now (closed, configured, not sent within the repeat period). */
async function outOfHoursText(deps: AutomationDeps, set: ClientAutomation, input: ResponderInput, now: Date): Promise<string | undefined> {
  const code = set.hours.outOfHoursTemplate;
  const t = code ? set.templates.get(code) : undefined;
  if (!t || input.contact.objected || input.contact.restricted || !hasHours(set.hours) || isOpenAt(set.hours, set.timezone, now)) return undefined;
  if (!autoReplyDue(input.conversation, await autoReplySettings(deps.db, deps.vault, input.conversation.clientId), now)) return undefined;
  const lang = input.message.text.trim() ? detectLanguage(input.message.text, set.defaultLanguage as 'ru') : undefined;
  return renderFor(set, t, input.contact, lang, now) || undefined;
}

export function rulesResponderStep(deps: AutomationDeps): ResponderStep {
  const cache = new AutomationCache();
  return {
    name: 'automation-rules',
    order: RULES_STEP_ORDER,
    async respond(input) {
      const { message, conversation, contact } = input;
      if (message.direction !== 'in') return { action: 'pass' };
      const now = deps.clock.now();
      const set = await cache.get(deps.db, conversation.clientId, now.getTime());
      if (set.revision === 0) return { action: 'pass' };
      const ctx = ruleContext(set, input, message.text);
      // Which message opened the conversation: read at most once (the events and the timers' key both want it).
      let openedAt: Promise<string | undefined> | undefined;
      const opened = () => (openedAt ??= openedBy(deps.db, conversation.id));
      const ev = evaluateEvents(set, await eventsOf(deps.db, set, input, opened), ctx, now);
      let plan = EMPTY_PLAN;
      if (ev.matched.length) {
        if (await underCap(deps.db, conversation.id, now)) plan = planActions(set, ev, contact, message.text.trim() ? ctx.language : undefined, now);
        else deps.log.warn('jobs', 'automation rules capped for the hour', { conversation_id: conversation.id });
      }
      const away = plan.sends.length === 0 ? await outOfHoursText(deps, set, input, now) : undefined;
      const timers = set.byEvent.get('conversation.no_agent_reply') ?? [];
      if (plan.ruleIds.length === 0 && !away && timers.length === 0) return { action: 'pass' };
      const streak = timers.length ? `${(await lastAgentMessageAt(deps.db, conversation.id, 200)) ?? 'never'}:${(await opened()) ?? ''}` : '';
      const apply = async (trx: Db, events: Parameters<typeof applyPlanIn>[2]) => {
        await applyPlanIn(trx, deps.clock, events, conversation, plan, `message:${message.id}`);
        if (away) {
          const { events: e } = await queueOutbound(trx, deps.clock, conversation, { text: away, authorKind: 'rule' });
          events.push(...e);
          await markAutoRepliedIn(trx, conversation.id, now.toISOString());
        }
        // One timer per rule and unanswered stretch: the customer's later messages do not move it.
        for (const rule of timers) {
          await enqueueJob(trx, deps.clock, {
            kind: NO_AGENT_REPLY_JOB, clientId: conversation.clientId, contactId: contact.id, conversationId: conversation.id,
            payload: { conversation_id: conversation.id, rule_id: rule.id, message_id: message.id, since: message.createdAt },
            idempotencyKey: `${NO_AGENT_REPLY_JOB}:${rule.id}:${conversation.id}:${streak}`, runAt: new Date(now.getTime() + (rule.trigger.minutes ?? 1) * 60_000),
          });
        }
      };
      const takesCharge = plan.sends.length > 0 || !!away || plan.replyState?.to === 'handed_off' || plan.replyState?.to === 'paused';
      return takesCharge ? { action: 'handled', apply } : { action: 'pass', apply };
    },
  };
}
