// What the matched rules' actions do. Messages (send_template) and the reply state (hand_off,
// pause_ai, resume_ai: through messaging's reply-state owner) are written in the cause's own
// transaction; the other actions (tags, resolve, assign, call_webhook) run as a job queued in it
// (automation.actions), through the rooms that own what they change. Never a rule message to a
// contact who objected (STOP) or restricted processing; at most CAP rule firings per
// conversation per hour (a rule cannot feed itself in a loop).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob } from '../jobs/index.ts';
import {
  changeReplyStateIn, queueOutbound, recentThread, type Contact, type Conversation, type MessagingEvent, type ReplyStateTarget,
} from '../messaging/index.ts';
import { detectLanguage, enqueueHandoffNotice } from '../ai/index.ts';
import { describeNextOpening } from './business-hours.ts';
import type { ClientAutomation } from './client-set.ts';
import type { Evaluation } from './evaluate.ts';
import type { Action } from './rule-schema.ts';
import { pickVariant, renderTemplate, type Template, type TemplateVars } from './templates.ts';
import { firingsSince, recordFirings } from './store.ts';

export const AUTOMATION_ACTIONS_JOB = 'automation.actions';
/** At most this many rule firings per conversation per hour. */
export const FIRINGS_PER_HOUR = 20;

/** The variables of a template for this contact, now. */
export function templateVars(set: ClientAutomation, contact: Pick<Contact, 'displayName' | 'phone'>, now: Date, lang: string): TemplateVars {
  const vars: TemplateVars = {
    'contact.name': contact.displayName || undefined, 'contact.phone': contact.phone ?? undefined, 'client.name': set.clientName || undefined,
  };
  Object.defineProperty(vars, 'business_hours.next_open', { enumerable: true, get: () => describeNextOpening(set.hours, set.timezone, now, lang) });
  return vars;
}

/** A template's text for the contact: their language's variant (else the client's default), variables filled. */
export function renderFor(set: ClientAutomation, t: Template, contact: Pick<Contact, 'displayName' | 'phone'>, language: string | undefined, now: Date): string {
  const { text, lang } = pickVariant(t, language, set.defaultLanguage);
  return renderTemplate(text, templateVars(set, contact, now, lang)).trim();
}

/** The language of the contact's newest message in the conversation (undefined: none with text). */
export async function conversationLanguage(db: Db, conversationId: string, fallback: string): Promise<string | undefined> {
  const last = (await recentThread(db, conversationId, 20)).reverse().find((m) => m.direction === 'in' && m.text.trim());
  return last ? detectLanguage(last.text, fallback as 'ru') : undefined;
}

/** What the matched actions come to. */
export interface Plan {
  sends: string[];
  replyState?: ReplyStateTarget;
  side: Action[];
  ruleIds: string[];
}

export function planActions(set: ClientAutomation, ev: Evaluation, contact: Contact, language: string | undefined, now: Date): Plan {
  const plan: Plan = { sends: [], side: [], ruleIds: ev.matched.map((m) => m.rule.id) };
  const silent = contact.objected || contact.restricted;
  for (const a of ev.actions) {
    if (a.type === 'send_template') {
      const t = set.templates.get(a.code);
      const text = t && !silent ? renderFor(set, t, contact, language, now) : '';
      if (text) plan.sends.push(text.slice(0, 4096));
    } else if (a.type === 'hand_off') plan.replyState = { to: 'handed_off', reason: a.reason };
    else if (a.type === 'pause_ai') plan.replyState = { to: 'paused', until: new Date(now.getTime() + a.minutes * 60_000).toISOString() };
    else if (a.type === 'resume_ai') plan.replyState = { to: 'active' };
    else if (a.type !== 'stop') plan.side.push(a);
  }
  return plan;
}

/** Whether the conversation still may take rule actions this hour. */
export async function underCap(db: Db, conversationId: string, now: Date): Promise<boolean> {
  return (await firingsSince(db, conversationId, new Date(now.getTime() - 3_600_000).toISOString())) < FIRINGS_PER_HOUR;
}

/**
 * Inside the cause's transaction: the messages, the reply-state change (a compare-and-set against
 * the conversation as the rules saw it), the job for the other actions, the firings.
 */
export async function applyPlanIn(
  trx: Db, clock: Clock, events: MessagingEvent[], conversation: Conversation, plan: Plan, cause: string,
): Promise<void> {
  if (plan.ruleIds.length === 0) return;
  for (const text of plan.sends) {
    const { events: e } = await queueOutbound(trx, clock, conversation, { text, authorKind: 'rule' });
    events.push(...e);
  }
  if (plan.replyState) {
    const r = await changeReplyStateIn(trx, clock, events, conversation, conversation, plan.replyState);
    // The agents hear of a rule's handoff as of the AI's (live in the inbox, and by e-mail).
    if (r.applied && r.event && plan.replyState.to === 'handed_off') await enqueueHandoffNotice(trx, clock, conversation, plan.replyState.reason, 'rule');
  }
  if (plan.side.length) {
    await enqueueJob(trx, clock, {
      kind: AUTOMATION_ACTIONS_JOB, clientId: conversation.clientId, contactId: conversation.contactId, conversationId: conversation.id,
      payload: { conversation_id: conversation.id, actions: plan.side }, idempotencyKey: `${AUTOMATION_ACTIONS_JOB}:${cause}`,
    });
  }
  await recordFirings(trx, clock.now().toISOString(), conversation.clientId, conversation.id, plan.ruleIds);
}
