import { Hono, type Context } from 'hono';
import {
  ACTION_TYPES, CONDITION_TYPES, RULE_EVENTS, loadRules, loadTemplates, replaceRules, ruleSetJson, type RuleInput, type StoredRule,
} from '../../automation/index.ts';
import type { Client } from '../../tenants/index.ts';
import { AutomationPage, ACTION_ARG, RuleFormPage, type RuleFormValues } from '../../../views/pages/automation.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import { notFound } from '../../lib/errors.ts';
import { automationToolsRoutes } from './automation-tools.routes.tsx';
import type { HttpEnv } from '../env.ts';

type C = Context<HttpEnv>;

const canManage = (c: C) => CLIENT_EDITOR_ROLES.includes(c.get('user')!.role);
const base = (client: Client) => `/clients/${client.slug}/automation`;
const MAX_ROWS = 20;

/** The form's rows as posted (blank rows skipped), and the rule they make. */
function ruleFromForm(f: Record<string, string>): { values: RuleFormValues; rule: RuleInput } {
  const values: RuleFormValues = { name: (f.name ?? '').trim(), enabled: f.enabled === '1', event: f.event ?? '', minutes: (f.minutes ?? '').trim(), conditions: [], actions: [] };
  for (let i = 0; i < MAX_ROWS; i++) {
    if (f[`cond_type_${i}`]) {
      values.conditions.push({ type: f[`cond_type_${i}`], value: (f[`cond_value_${i}`] ?? '').trim() });
    }
    if (f[`act_type_${i}`]) {
      values.actions.push({ type: f[`act_type_${i}`], value: (f[`act_value_${i}`] ?? '').trim() });
    }
  }
  const actions = values.actions.map((a) => {
    const arg = ACTION_ARG[a.type];
    return arg ? { type: a.type, [arg]: arg === 'minutes' ? Number(a.value) || a.value : a.value } : { type: a.type };
  });
  const trigger = { event: values.event, ...(values.minutes ? { minutes: Number(values.minutes) || values.minutes } : {}) };
  return { values, rule: { name: values.name, enabled: values.enabled, trigger, conditions: values.conditions, actions } as unknown as RuleInput };
}

const formValuesOf = (r: StoredRule): RuleFormValues => ({
  name: r.name, enabled: r.enabled, event: r.trigger.event, minutes: r.trigger.minutes ? String(r.trigger.minutes) : '',
  conditions: r.conditions.map((c) => ({ type: c.type, value: c.value })),
  actions: r.actions.map((a) => {
    const arg = ACTION_ARG[a.type];
    return { type: a.type, value: arg ? String((a as Record<string, unknown>)[arg]) : '' };
  }),
});

/** A domain error on `rules.<at>.…` as the form's field; anything else shows above the form. */
function fieldOf(field: string | undefined, at: number): string {
  const m = new RegExp(`^rules\\.${at}\\.(.+)$`).exec(field ?? '');
  if (!m) return 'form';
  const [head, j, leaf] = m[1].split('.');
  if (head === 'name') return 'name';
  if (head === 'trigger') return j === 'minutes' ? 'minutes' : 'event';
  // The form comes back with its blank rows dropped: the j-th condition is on row j.
  if (head === 'conditions' && j !== undefined) return `cond_${leaf === 'type' ? 'type' : 'value'}_${j}`;
  if (head === 'actions' && j !== undefined) return `act_${leaf === 'type' ? 'type' : 'value'}_${j}`;
  return 'form';
}

async function formPage(c: C, client: Client, values: RuleFormValues, id?: string, errors?: Record<string, string>, status = 200) {
  const templateCodes = (await loadTemplates(c.get('ctx').db, client.id)).map((t) => t.code);
  const d = { client, id, values, events: RULE_EVENTS, conditionTypes: CONDITION_TYPES, actionTypes: ACTION_TYPES, templateCodes, errors };
  return html(c, <RuleFormPage v={viewContext(c, { timezone: client.timezone })} d={d} />, status);
}

/** Replaces the whole set after `change` edits its JSON form; a mistake re-renders the form with it. */
async function saveSet(c: C, client: Client, change: (rules: RuleInput[]) => { rules: RuleInput[]; at?: number }, form?: ReturnType<typeof ruleFromForm> & { id?: string }) {
  const ctx = c.get('ctx');
  const { rules, at } = change(ruleSetJson(await loadRules(ctx.db, client.id)).rules);
  try {
    await replaceRules(ctx.db, ctx.clock, client.id, { version: 1, rules }, actorOf(c));
  } catch (err) {
    const errors = formErrors(err, viewContext(c).t);
    if (!errors || !form) throw err;
    const [[field, message]] = Object.entries(errors);
    return formPage(c, client, form.values, form.id, { [fieldOf(field, at ?? -1)]: message }, 422);
  }
  return c.redirect(flashUrl(c, base(client), 'automation.rules.saved'), 303);
}

const ruleIndex = async (c: C, client: Client) => {
  const rules = await loadRules(c.get('ctx').db, client.id);
  const i = rules.findIndex((r) => r.id === c.req.param('id'));
  if (i < 0) throw notFound('No such rule');
  return { rules, i };
};

/** The automation screen of a client: rules (list, form, order, on/off), plus the tools' tabs. */
export function automationRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/automation', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'automation.rules' });
    const d = { client, rules: await loadRules(c.get('ctx').db, client.id), canManage: canManage(c) };
    return html(c, <AutomationPage v={viewContext(c, { timezone: client.timezone })} d={d} />);
  });

  app.get('/clients/:slug/automation/rules/new', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.rule_form' });
    return formPage(c, client, { name: '', enabled: true, event: 'message.received', minutes: '', conditions: [], actions: [] });
  });

  app.post('/clients/:slug/automation/rules', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.rule_create' });
    const form = ruleFromForm(await readForm(c));
    return saveSet(c, client, (rules) => ({ rules: [...rules, form.rule], at: rules.length }), form);
  });

  app.get('/clients/:slug/automation/rules/:id', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.rule_form' });
    const { rules, i } = await ruleIndex(c, client);
    return formPage(c, client, formValuesOf(rules[i]), rules[i].id);
  });

  app.post('/clients/:slug/automation/rules/:id', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.rule_update' });
    const { i, rules } = await ruleIndex(c, client);
    const form = { ...ruleFromForm(await readForm(c)), id: rules[i].id };
    return saveSet(c, client, (set) => ({ rules: set.map((r, k) => (k === i ? form.rule : r)), at: i }), form);
  });

  app.post('/clients/:slug/automation/rules/:id/toggle', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.rule_toggle' });
    const { i } = await ruleIndex(c, client);
    return saveSet(c, client, (set) => ({ rules: set.map((r, k) => (k === i ? { ...r, enabled: !r.enabled } : r)) }));
  });

  app.post('/clients/:slug/automation/rules/:id/move', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.rule_move' });
    const { i } = await ruleIndex(c, client);
    const j = (await readForm(c)).dir === 'up' ? i - 1 : i + 1;
    return saveSet(c, client, (set) => {
      if (j < 0 || j >= set.length) return { rules: set };
      const next = [...set];
      [next[i], next[j]] = [next[j], next[i]];
      return { rules: next };
    });
  });

  app.post('/clients/:slug/automation/rules/:id/delete', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.rule_delete' });
    const { i } = await ruleIndex(c, client);
    await saveSet(c, client, (set) => ({ rules: set.filter((_, k) => k !== i) }));
    return c.redirect(flashUrl(c, base(client), 'automation.rules.deleted'), 303);
  });

  app.route('/', automationToolsRoutes());
  return app;
}
