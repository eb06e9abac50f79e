// The rule evaluator: a pure function of (rules, event, context, now) → the matched rules, in
// order, and the actions they ask for. It reads nothing and writes nothing, so the responder step,
// the timed jobs and the rule tester all run the very same decision.
import { findKeyword } from '../ai/index.ts';
import { isOpenAt, hasHours, type BusinessHours } from './business-hours.ts';
import type { Action, Condition, RuleEvent } from './rule-schema.ts';

/** A stored rule as the evaluator takes it (`re`: text_matches compiled once when loaded). */
export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  trigger: { event: RuleEvent; minutes?: number };
  conditions: Array<Condition & { re?: RegExp }>;
  actions: Action[];
}

/** What the conditions look at. */
export interface RuleContext {
  text: string;
  /** The language the message is written in (ru, kk, en). */
  language: string;
  channel: { id: string; kind: string };
  tags: string[];
  aiState: string;
  status: string;
  hours: BusinessHours;
  timezone: string;
}

export interface RuleMatch {
  rule: Pick<Rule, 'id' | 'name'>;
  actions: Action[];
}

export interface Evaluation {
  matched: RuleMatch[];
  /** Every action of the matched rules, in order, without `stop`. */
  actions: Array<Action & { rule: string }>;
  /** A rule said stop: no later rule ran. */
  stopped: boolean;
}

const normalise = (s: string) => s.toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ').trim();

/** Whether one condition holds (`open` is computed at most once per evaluation). */
function holds(c: Condition & { re?: RegExp }, ctx: RuleContext, open: () => boolean): boolean {
  switch (c.type) {
    case 'text_contains': {
      if (findKeyword(ctx.text, [c.value])) return true;
      // A value without letters or digits ("?", "!!!") is looked for as written.
      return !/[\p{L}\p{N}]/u.test(c.value) && ctx.text.includes(c.value);
    }
    case 'text_equals': return normalise(ctx.text) === normalise(c.value);
    case 'text_matches': return (c.re ?? new RegExp(c.value, 'iu')).test(ctx.text);
    case 'language': return ctx.text.trim() !== '' && ctx.language === c.value;
    case 'channel': return c.value === ctx.channel.id || c.value === ctx.channel.kind;
    case 'contact_tag': return ctx.tags.some((t) => normalise(t) === normalise(c.value));
    case 'business_hours': return hasHours(ctx.hours) && open() === (c.value === 'open');
    case 'ai_state': return ctx.aiState === c.value;
    case 'conversation_status': return ctx.status === c.value;
  }
}

/** The enabled rules of `event`, in order, whose conditions all hold; a `stop` action ends the run. */
export function evaluateRules(rules: readonly Rule[], event: { type: RuleEvent; minutes?: number }, ctx: RuleContext, now: Date): Evaluation {
  let openAt: boolean | undefined;
  const open = () => (openAt ??= isOpenAt(ctx.hours, ctx.timezone, now));
  const out: Evaluation = { matched: [], actions: [], stopped: false };
  for (const rule of rules) {
    if (!rule.enabled || rule.trigger.event !== event.type) continue;
    if (event.minutes !== undefined && rule.trigger.minutes !== event.minutes) continue;
    if (!rule.conditions.every((c) => holds(c, ctx, open))) continue;
    out.matched.push({ rule: { id: rule.id, name: rule.name }, actions: rule.actions });
    for (const a of rule.actions) {
      if (a.type === 'stop') {
        out.stopped = true;
        break;
      }
      out.actions.push({ ...a, rule: rule.name });
    }
    if (out.stopped) break;
  }
  return out;
}

/** Compiles a rule's regular expressions once (the evaluator then reuses them). */
export function compileRule(rule: Rule): Rule {
  return { ...rule, conditions: rule.conditions.map((c) => (c.type === 'text_matches' ? { ...c, re: new RegExp(c.value, 'iu') } : c)) };
}
