// The rule tester: a sample message (text, channel, tags, time, event) run through the client's
// enabled rules with the evaluator the pipeline uses, showing which rules match, in order, and
// what they would do. It reads only; nothing is sent or changed.
import type { Db } from '../db/index.ts';
import { automationRevision } from './store.ts';
import { loadClientAutomation } from './client-set.ts';
import { evaluateRules } from './evaluate.ts';
import { isOpenAt, hasHours } from './business-hours.ts';
import { renderFor } from './actions.ts';
import { ruleContext } from './rules-step.ts';
import type { Action, RuleEvent } from './rule-schema.ts';

export interface RuleTestInput {
  text: string;
  event: RuleEvent;
  channel: { id: string; kind: string };
  tags: string[];
  at: Date;
  aiState?: string;
  status?: string;
}

export interface RuleTestResult {
  matched: Array<{ name: string; actions: Array<Action & { preview?: string }> }>;
  stopped: boolean;
  /** Whether the business hours count as open at the sample time (null: no hours set). */
  open: boolean | null;
  language: string;
}

export async function testRules(db: Db, clientId: string, input: RuleTestInput): Promise<RuleTestResult> {
  const set = await loadClientAutomation(db, clientId, await automationRevision(db, clientId), input.at.getTime());
  const contact = { id: '', tags: input.tags, displayName: '', phone: null, objected: false, restricted: false };
  const conversation = { aiState: input.aiState ?? 'active', status: input.status ?? 'open' };
  const ctx = ruleContext(set, { conversation, contact, channel: input.channel } as never, input.text);
  const ev = evaluateRules(set.byEvent.get(input.event) ?? [], { type: input.event }, ctx, input.at);
  return {
    matched: ev.matched.map((m) => ({
      name: m.rule.name,
      actions: m.actions.map((a) => {
        const t = a.type === 'send_template' ? set.templates.get(a.code) : undefined;
        return t ? { ...a, preview: renderFor(set, t, { displayName: '', phone: null }, input.text.trim() ? ctx.language : undefined, input.at) } : a;
      }),
    })),
    stopped: ev.stopped,
    open: hasHours(set.hours) ? isOpenAt(set.hours, set.timezone, input.at) : null,
    language: ctx.language,
  };
}
