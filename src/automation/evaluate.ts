// The rule evaluator: a pure function of (rules, event, context, now) → the matched rules, in
// order, and the actions they ask for. It reads nothing and writes nothing, so the responder step,
// the timed jobs and the rule tester all run the very same decision.
import { containsWords, StemMemo, words } from '../ai/index.ts';
import { isOpenAt, hasHours, type BusinessHours } from './business-hours.ts';
import type { Action, Condition, RuleEvent } from './rule-schema.ts';

/** What compileRule prepares once per condition: the regular expression, the keyword's words, the normalised text. */
type Prepared = { re?: RegExp; kws?: string[]; norm?: string };

/** A stored rule as the evaluator takes it (the `Prepared` parts filled by compileRule when loaded). */
export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  trigger: { event: RuleEvent; minutes?: number };
  conditions: Array<Condition & Prepared>;
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
  /** Stems kept across evaluations (the client's keywords come back with every message). */
  memo?: StemMemo;
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

/** What one evaluation computes at most once: the business hours now, the message's words and their stems, keyword splits. */
interface Lazy {
  open(): boolean;
  words(): string[];
  normalised(): string;
  memo: StemMemo;
}

/** Whether one condition holds. */
function holds(c: Condition & Prepared, ctx: RuleContext, lazy: Lazy): boolean {
  switch (c.type) {
    case 'text_contains': {
      if (containsWords(lazy.words(), c.kws ?? words(c.value), lazy.memo)) return true;
      // A value without letters or digits ("?", "!!!") is looked for as written.
      return !/[\p{L}\p{N}]/u.test(c.value) && ctx.text.includes(c.value);
    }
    case 'text_equals': return lazy.normalised() === (c.norm ?? normalise(c.value));
    case 'text_matches': return (c.re ?? new RegExp(c.value, 'iu')).test(ctx.text);
    case 'language': return ctx.text.trim() !== '' && ctx.language === c.value;
    case 'channel': return c.value === ctx.channel.id || c.value === ctx.channel.kind;
    case 'contact_tag': return ctx.tags.some((t) => normalise(t) === normalise(c.value));
    case 'business_hours': return hasHours(ctx.hours) && lazy.open() === (c.value === 'open');
    case 'ai_state': return ctx.aiState === c.value;
    case 'conversation_status': return ctx.status === c.value;
  }
}

/** The enabled rules of `event`, in order, whose conditions all hold; a `stop` action ends the run. */
export function evaluateRules(rules: readonly Rule[], event: { type: RuleEvent; minutes?: number }, ctx: RuleContext, now: Date): Evaluation {
  let openAt: boolean | undefined;
  let ws: string[] | undefined;
  let norm: string | undefined;
  const lazy: Lazy = {
    open: () => (openAt ??= isOpenAt(ctx.hours, ctx.timezone, now)), words: () => (ws ??= words(ctx.text)), normalised: () => (norm ??= normalise(ctx.text)), memo: ctx.memo ?? new StemMemo(),
  };
  const out: Evaluation = { matched: [], actions: [], stopped: false };
  for (const rule of rules) {
    if (!rule.enabled || rule.trigger.event !== event.type) continue;
    if (event.minutes !== undefined && rule.trigger.minutes !== event.minutes) continue;
    if (!rule.conditions.every((c) => holds(c, ctx, lazy))) continue;
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

/** Prepares a rule's conditions once (the evaluator then reuses them). */
export function compileRule(rule: Rule): Rule {
  return {
    ...rule,
    conditions: rule.conditions.map((c) => {
      if (c.type === 'text_matches') return { ...c, re: new RegExp(c.value, 'iu') };
      if (c.type === 'text_contains') return { ...c, kws: words(c.value) };
      if (c.type === 'text_equals') return { ...c, norm: normalise(c.value) };
      return c;
    }),
  };
}
