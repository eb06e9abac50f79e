// The wire and storage format of rules, templates and business hours (the same JSON as the UI's
// import and export and the API's GET/PUT), as zod schemas: the OpenAPI document shows them and
// every write is checked against them, an error naming its field as a dotted path
// (`rules.3.conditions.0.value`).
import { z } from 'zod';
import { badRequest } from '../lib/errors.ts';
import { AI_STATES, CONVERSATION_STATUSES } from '../messaging/index.ts';

export const RULE_EVENTS = ['message.received', 'conversation.opened', 'contact.first_message', 'conversation.no_agent_reply', 'conversation.resolved'] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];
export const CONDITION_TYPES = [
  'text_contains', 'text_equals', 'text_matches', 'language', 'channel', 'contact_tag', 'business_hours', 'ai_state', 'conversation_status',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export const ACTION_TYPES = [
  'send_template', 'add_tag', 'remove_tag', 'hand_off', 'pause_ai', 'resume_ai', 'resolve', 'assign', 'call_webhook', 'stop',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
export const TEMPLATE_LANGUAGES = ['ru', 'kk', 'en'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const LIMITS = { rules: 500, conditions: 20, actions: 20, name: 100, value: 200, templates: 500, templateText: 4096, holidays: 366, intervals: 4, minutesMax: 10_080 } as const;

const text = (max: number) => z.string().trim().min(1, 'Must not be empty').max(max, `At most ${max} characters`);
const minutes = z.number().int().min(1).max(LIMITS.minutesMax);

// A client's pattern runs on every inbound message, and JavaScript's engine has no time limit: the
// shapes that can take exponential time on a crafted text are refused — a repeated group that itself
// holds a repetition, e.g. (a+)+ or (\w*)*, and back-references.
const NESTED_REPEAT = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})\)(?:[+*]|\{\d+,\d*\})/;
const BACK_REFERENCE = /\\(?:[1-9]|k<)/;

function validRegex(v: string, ctx: z.RefinementCtx) {
  try {
    new RegExp(v, 'iu');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `Not a valid regular expression: ${(err as Error).message}` });
    return;
  }
  if (NESTED_REPEAT.test(v) || BACK_REFERENCE.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'This pattern could take very long on some texts (a repeated group holding a repetition, or a back-reference): write it without them' });
  }
}

export const ConditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text_contains'), value: text(LIMITS.value).describe('A word or phrase; any word form matches («доставка» finds «доставку»)') }).strict(),
  z.object({ type: z.literal('text_equals'), value: text(LIMITS.value).describe('The whole message, ignoring case and surrounding spaces') }).strict(),
  z.object({ type: z.literal('text_matches'), value: text(LIMITS.value).superRefine(validRegex).describe('A regular expression (case-insensitive)') }).strict(),
  z.object({ type: z.literal('language'), value: z.enum(TEMPLATE_LANGUAGES).describe('The language the message is written in') }).strict(),
  z.object({ type: z.literal('channel'), value: text(LIMITS.value).describe('A channel kind (whatsapp, instagram, sandbox) or a channel id') }).strict(),
  z.object({ type: z.literal('contact_tag'), value: text(50).describe('The contact has this tag') }).strict(),
  z.object({ type: z.literal('business_hours'), value: z.enum(['open', 'closed']) }).strict(),
  z.object({ type: z.literal('ai_state'), value: z.enum(AI_STATES as [string, ...string[]]) }).strict(),
  z.object({ type: z.literal('conversation_status'), value: z.enum(CONVERSATION_STATUSES as [string, ...string[]]) }).strict(),
]);
export type Condition = z.infer<typeof ConditionSchema>;

export const ActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('send_template'), code: text(32).describe('The code of a response template') }).strict(),
  z.object({ type: z.literal('add_tag'), tag: text(50) }).strict(),
  z.object({ type: z.literal('remove_tag'), tag: text(50) }).strict(),
  z.object({ type: z.literal('hand_off'), reason: text(LIMITS.value).describe('Why a person should take over (shown to the agents)') }).strict(),
  z.object({ type: z.literal('pause_ai'), minutes: minutes.describe('How long the AI stays paused') }).strict(),
  z.object({ type: z.literal('resume_ai') }).strict(),
  z.object({ type: z.literal('resolve') }).strict(),
  z.object({ type: z.literal('assign'), member_id: text(100).describe('The id of a member of the client') }).strict(),
  z.object({ type: z.literal('call_webhook'), webhook_id: text(100).describe('The id of one of the client\'s outgoing webhooks') }).strict(),
  z.object({ type: z.literal('stop').describe('No later rule runs for this event') }).strict(),
]);
export type Action = z.infer<typeof ActionSchema>;

const TriggerSchema = z.object({
  event: z.enum(RULE_EVENTS),
  minutes: minutes.optional().describe('conversation.no_agent_reply only: how long without a person\'s reply'),
}).strict().superRefine((t, ctx) => {
  if (t.event === 'conversation.no_agent_reply' && t.minutes === undefined) ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'minutes is required for conversation.no_agent_reply' });
  if (t.event !== 'conversation.no_agent_reply' && t.minutes !== undefined) ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'minutes applies only to conversation.no_agent_reply' });
});

export const RuleStatsSchema = z.object({ fired_count: z.number().int().min(0), last_fired_at: z.iso.datetime().nullable() })
  .describe('Read-only: how often the rule fired and when it last did (ignored on PUT)');

export const RuleSchema = z.object({
  name: text(LIMITS.name).describe('Identifies the rule across a PUT (its statistics stay)'),
  enabled: z.boolean(),
  trigger: TriggerSchema,
  conditions: z.array(ConditionSchema).max(LIMITS.conditions).describe('All must hold'),
  actions: z.array(ActionSchema).min(1).max(LIMITS.actions).describe('Done in order'),
  stats: RuleStatsSchema.optional(),
}).strict();
export type RuleInput = z.infer<typeof RuleSchema>;

export const RuleSetSchema = z.object({
  version: z.literal(1),
  rules: z.array(RuleSchema).max(LIMITS.rules).describe('In order: earlier rules run first').superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Another rule is already called "${r.name}"` });
      seen.add(r.name);
    });
  }),
}).strict();
export type RuleSetInput = z.infer<typeof RuleSetSchema>;

export const TemplateSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'Use 1–32 small Latin letters, digits, - or _').describe('Typed as /code in the inbox'),
  text: z.object({
    ru: z.string().max(LIMITS.templateText).default(''),
    kk: z.string().max(LIMITS.templateText).default(''),
    en: z.string().max(LIMITS.templateText).default(''),
  }).strict().refine((t) => !!(t.ru.trim() || t.kk.trim() || t.en.trim()), 'Write the text in at least one language')
    .describe('The text per language; variables such as {{contact.name}}, {{client.name}}, {{business_hours.next_open}}; {{name|fallback}} sets what shows when a value is missing'),
}).strict();
export type TemplateInput = z.infer<typeof TemplateSchema>;

export const TemplateSetSchema = z.object({
  version: z.literal(1),
  templates: z.array(TemplateSchema).max(LIMITS.templates).superRefine((ts, ctx) => {
    const seen = new Set<string>();
    ts.forEach((t, i) => {
      if (seen.has(t.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `Another template already has the code "${t.code}"` });
      seen.add(t.code);
    });
  }),
}).strict();
export type TemplateSetInput = z.infer<typeof TemplateSetSchema>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'A time such as 09:00');
const Interval = z.tuple([HHMM, HHMM]).refine(([a, b]) => a < b, 'The start must come before the end');
export const WeekSchema = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Interval).max(LIMITS.intervals).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof Interval>>>)
  .strict().describe('Opening intervals per weekday in the client\'s time zone; a day absent or [] is closed');
export const BusinessHoursPatchSchema = z.object({
  week: WeekSchema.optional().describe('When present, replaces the whole week'),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date such as 2026-12-16').refine((d) => !Number.isNaN(Date.parse(d)), 'Not a date')).max(LIMITS.holidays).optional()
    .describe('Closed all day (YYYY-MM-DD)'),
  out_of_hours_template: z.string().max(32).nullable().optional().describe('The code of the template sent to a customer who writes while closed (at most once per conversation per auto-reply repeat period); null for none'),
  timezone: z.string().optional().describe('Read-only: the client\'s time zone (change it in the general settings); ignored on PUT'),
}).strict();
export type BusinessHoursPatch = z.infer<typeof BusinessHoursPatchSchema>;

/** Parses `value` with `schema`; the first problem is a 400 naming its field as a dotted path under `prefix`. */
export function parseSet<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path.join('.') || undefined;
  const message = issue.code === 'unrecognized_keys' ? `Unknown field "${field}"` : field ? `${field}: ${issue.message}` : issue.message;
  throw badRequest(message, field, issue.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid_field');
}
