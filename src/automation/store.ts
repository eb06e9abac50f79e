// The automation room's tables: rules (ordered, with their statistics), templates and business
// hours. Each set is read and replaced whole (the API's GET/PUT, the UI's import/export and its
// forms all go through replaceRules / replaceTemplates / updateBusinessHours): validated first,
// then written in one transaction with its audit row, so an invalid set changes nothing.
import { compiled, type Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { findUserById } from '../auth/index.ts';
import { getWebhook } from '../webhooks/index.ts';
import {
  BusinessHoursPatchSchema, RuleSetSchema, TemplateSetSchema, parseSet, WEEKDAYS, type RuleInput, type RuleSetInput, type TemplateSetInput,
} from './rule-schema.ts';
import type { Rule } from './evaluate.ts';
import type { Template } from './templates.ts';
import { NO_HOURS, type BusinessHours } from './business-hours.ts';

/** A rule with its place and statistics. */
export interface StoredRule extends Rule {
  position: number;
  firedCount: number;
  lastFiredAt: string | null;
}

export async function loadRules(db: Db, clientId: string): Promise<StoredRule[]> {
  const rows = await db.selectFrom('automation_rules').selectAll().where('client_id', '=', clientId).orderBy('position').execute();
  return rows.map((r) => {
    const d = JSON.parse(r.definition) as Pick<Rule, 'trigger' | 'conditions' | 'actions'>;
    return { id: r.id, name: r.name, enabled: r.enabled === 1, ...d, position: r.position, firedCount: r.fired_count, lastFiredAt: r.last_fired_at };
  });
}

/** The rules as the API and the export show them (valid PUT input; `stats` is read-only). */
export function ruleSetJson(rules: StoredRule[]): RuleSetInput {
  return {
    version: 1,
    rules: rules.map((r) => ({
      name: r.name, enabled: r.enabled, trigger: r.trigger, conditions: r.conditions.map(({ type, value }) => ({ type, value }) as RuleInput['conditions'][number]),
      actions: r.actions, stats: { fired_count: r.firedCount, last_fired_at: r.lastFiredAt },
    })),
  };
}

export async function loadTemplates(db: Db, clientId: string): Promise<Template[]> {
  const rows = await db.selectFrom('response_templates').select(['code', 'texts']).where('client_id', '=', clientId).orderBy('position').execute();
  return rows.map((r) => ({ code: r.code, text: { ru: '', kk: '', en: '', ...JSON.parse(r.texts) } }));
}

export const templateSetJson = (templates: Template[]): TemplateSetInput => ({ version: 1, templates: templates.map((t) => ({ code: t.code, text: { ...t.text } })) });

const hoursRow = compiled<{ clientId: string }, { week: string; holidays: string; out_of_hours_template: string | null; revision: number }>((db, arg) =>
  db.selectFrom('business_hours').select(['week', 'holidays', 'out_of_hours_template', 'revision']).where('client_id', '=', arg('clientId')));
const revisionRow = compiled<{ clientId: string }, { revision: number }>((db, arg) =>
  db.selectFrom('business_hours').select('revision').where('client_id', '=', arg('clientId')));

export async function loadBusinessHours(db: Db, clientId: string): Promise<BusinessHours> {
  const r = await hoursRow.first(db, { clientId });
  return r ? { week: JSON.parse(r.week), holidays: JSON.parse(r.holidays), outOfHoursTemplate: r.out_of_hours_template } : NO_HOURS;
}

/** Changes with every write of the client's rules, templates or hours (0: never written). */
export async function automationRevision(db: Db, clientId: string): Promise<number> {
  return (await revisionRow.first(db, { clientId }))?.revision ?? 0;
}

async function bumpRevision(trx: Db, clientId: string, now: string): Promise<void> {
  await trx.insertInto('business_hours').values({ client_id: clientId, revision: 1, updated_at: now })
    .onConflict((oc) => oc.column('client_id').doUpdateSet((eb) => ({ revision: eb('business_hours.revision', '+', 1), updated_at: now }))).execute();
}

/** The references of a rule set that must name this client's things: templates, members, webhooks. */
async function checkReferences(db: Db, clientId: string, set: RuleSetInput): Promise<void> {
  const codes = new Set((await loadTemplates(db, clientId)).map((t) => t.code));
  for (const [i, rule] of set.rules.entries()) {
    for (const [j, a] of rule.actions.entries()) {
      const at = `rules.${i}.actions.${j}`;
      if (a.type === 'send_template' && !codes.has(a.code)) throw badRequest(`${at}.code: no template has the code "${a.code}"`, `${at}.code`);
      if (a.type === 'assign' && (await findUserById(db, a.member_id))?.clientId !== clientId) throw badRequest(`${at}.member_id: no such member`, `${at}.member_id`);
      if (a.type === 'call_webhook') {
        try {
          await getWebhook(db, clientId, a.webhook_id);
        } catch {
          throw badRequest(`${at}.webhook_id: no such webhook`, `${at}.webhook_id`);
        }
      }
    }
  }
}

/**
 * Replaces the client's rules with `value` (the JSON format): array order is rule order, a rule
 * keeps its id and statistics when its name stays, `stats` given are ignored. Audited.
 */
export async function replaceRules(db: Db, clock: Clock, clientId: string, value: unknown, by: AuditBy): Promise<StoredRule[]> {
  const set = parseSet(RuleSetSchema, value);
  await checkReferences(db, clientId, set);
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom('automation_rules').select(['id', 'name']).where('client_id', '=', clientId).execute()).map((r) => [r.name, r.id]));
    const keep = new Set(set.rules.map((r) => r.name));
    const gone = [...existing].filter(([name]) => !keep.has(name)).map(([, id]) => id);
    if (gone.length) await trx.deleteFrom('automation_rules').where('id', 'in', gone).execute();
    for (const [position, r] of set.rules.entries()) {
      const definition = JSON.stringify({ trigger: r.trigger, conditions: r.conditions, actions: r.actions });
      const id = existing.get(r.name);
      if (id) await trx.updateTable('automation_rules').set({ position, enabled: r.enabled ? 1 : 0, definition, updated_at: now }).where('id', '=', id).execute();
      else await trx.insertInto('automation_rules').values({ id: newId(), client_id: clientId, position, name: r.name, enabled: r.enabled ? 1 : 0, definition, created_at: now, updated_at: now }).execute();
    }
    await bumpRevision(trx, clientId, now);
    await recordAudit(trx, clock, { actor: by, action: 'rules.replaced', clientId, ip: by.ip, details: { rules: set.rules.length } });
  });
  return loadRules(db, clientId);
}

/** Replaces the client's templates (keyed by code, in the given order). Audited. */
export async function replaceTemplates(db: Db, clock: Clock, clientId: string, value: unknown, by: AuditBy): Promise<Template[]> {
  const set = parseSet(TemplateSetSchema, value);
  // A template a rule or the out-of-hours answer names stays (import templates before rules).
  const codes = new Set(set.templates.map((t) => t.code));
  for (const r of await loadRules(db, clientId)) {
    const used = r.actions.find((a) => a.type === 'send_template' && !codes.has(a.code));
    if (used) throw badRequest(`templates: the rule "${r.name}" sends the template "${(used as { code: string }).code}"`, 'templates', 'template_in_use');
  }
  const away = (await loadBusinessHours(db, clientId)).outOfHoursTemplate;
  if (away && !codes.has(away)) throw badRequest(`templates: the out-of-hours answer sends the template "${away}"`, 'templates', 'template_in_use');
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('response_templates').where('client_id', '=', clientId).execute();
    for (const [position, t] of set.templates.entries()) {
      await trx.insertInto('response_templates').values({ id: newId(), client_id: clientId, position, code: t.code, texts: JSON.stringify(t.text), created_at: now, updated_at: now }).execute();
    }
    await bumpRevision(trx, clientId, now);
    await recordAudit(trx, clock, { actor: by, action: 'templates.replaced', clientId, ip: by.ip, details: { templates: set.templates.length } });
  });
  return loadTemplates(db, clientId);
}

/** Changes the fields present (`week` replaces the whole week; a day absent or [] is closed). Audited. */
export async function updateBusinessHours(db: Db, clock: Clock, clientId: string, value: unknown, by: AuditBy): Promise<BusinessHours> {
  const patch = parseSet(BusinessHoursPatchSchema, value);
  const current = await loadBusinessHours(db, clientId);
  if (patch.out_of_hours_template && !(await loadTemplates(db, clientId)).some((t) => t.code === patch.out_of_hours_template)) {
    throw badRequest(`out_of_hours_template: no template has the code "${patch.out_of_hours_template}"`, 'out_of_hours_template');
  }
  const week = patch.week ? Object.fromEntries(WEEKDAYS.filter((d) => patch.week![d]?.length).map((d) => [d, patch.week![d]])) : current.week;
  const next: BusinessHours = {
    week, holidays: patch.holidays ? [...new Set(patch.holidays)].sort() : current.holidays,
    outOfHoursTemplate: patch.out_of_hours_template !== undefined ? patch.out_of_hours_template : current.outOfHoursTemplate,
  };
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await bumpRevision(trx, clientId, now);
    await trx.updateTable('business_hours').set({ week: JSON.stringify(next.week), holidays: JSON.stringify(next.holidays), out_of_hours_template: next.outOfHoursTemplate })
      .where('client_id', '=', clientId).execute();
    await recordAudit(trx, clock, { actor: by, action: 'business_hours.updated', clientId, ip: by.ip, details: { fields: Object.keys(patch).filter((k) => k !== 'timezone') } });
  });
  return next;
}

/** Business hours as the API shows them. */
export const businessHoursJson = (h: BusinessHours, timezone: string) => ({
  week: Object.fromEntries(WEEKDAYS.map((d) => [d, h.week[d] ?? []])), holidays: h.holidays, out_of_hours_template: h.outOfHoursTemplate, timezone,
});

/** A rule fired in a conversation: its statistics, and the firing the per-conversation cap counts. In the caller's transaction. */
export async function recordFirings(trx: Db, at: string, clientId: string, conversationId: string, ruleIds: string[]): Promise<void> {
  for (const id of new Set(ruleIds)) {
    await trx.updateTable('automation_rules').set((eb) => ({ fired_count: eb('fired_count', '+', 1), last_fired_at: at })).where('id', '=', id).where('client_id', '=', clientId).execute();
  }
  // Only the last hour counts: older firings of the conversation go as new ones come.
  const hourAgo = new Date(Date.parse(at) - 3_600_000).toISOString();
  await trx.deleteFrom('automation_firings').where('conversation_id', '=', conversationId).where('fired_at', '<', hourAgo).execute();
  await trx.insertInto('automation_firings').values({ id: newId(), client_id: clientId, conversation_id: conversationId, fired_at: at }).execute();
}

/** How many times rules acted in the conversation since `since` (the per-conversation cap). */
export async function firingsSince(db: Db, conversationId: string, since: string): Promise<number> {
  const r = await db.selectFrom('automation_firings').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', '=', conversationId).where('fired_at', '>=', since).executeTakeFirst();
  return Number(r?.n ?? 0);
}
