import { Hono, type Context } from 'hono';
import {
  RULE_EVENTS, TEMPLATE_VARIABLES, WEEKDAYS, instantOf, isOpenAt, hasHours, loadBusinessHours, loadRules, loadTemplates, localTime, replaceRules, replaceTemplates,
  ruleSetJson, templateSetJson, testRules, updateBusinessHours, type RuleEvent, type TemplateSetInput,
} from '../../automation/index.ts';
import { listChannelAccounts } from '../../channels/index.ts';
import type { Client } from '../../tenants/index.ts';
import { badRequest } from '../../lib/errors.ts';
import { HoursPage, TemplatesPage, TesterPage, TesterResult, TransferPage, type HoursView, type TesterView } from '../../../views/pages/automation-tools.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

type C = Context<HttpEnv>;

const canManage = (c: C) => CLIENT_EDITOR_ROLES.includes(c.get('user')!.role);
const base = (client: Client) => `/clients/${client.slug}/automation`;
const v = (c: C, client: Client) => viewContext(c, { timezone: client.timezone });
/** A form mistake: its first field and message, or undefined when the error is not one. */
const mistake = (c: C, err: unknown) => formErrors(err, viewContext(c).t);

async function templatesPage(c: C, client: Client, extra: { values?: { code: string; ru: string; kk: string; en: string }; errors?: Record<string, string> } = {}, status = 200) {
  const d = { client, templates: await loadTemplates(c.get('ctx').db, client.id), variables: TEMPLATE_VARIABLES, canManage: canManage(c), ...extra };
  return html(c, <TemplatesPage v={v(c, client)} d={d} />, status);
}

async function hoursPage(c: C, client: Client, extra: Partial<HoursView> = {}, status = 200) {
  const db = c.get('ctx').db;
  const h = await loadBusinessHours(db, client.id);
  const d: HoursView = {
    client, days: WEEKDAYS, week: Object.fromEntries(WEEKDAYS.map((day) => [day, (h.week[day] ?? []).map(([a, b]) => `${a}-${b}`).join(', ')])),
    holidays: h.holidays.join('\n'), outOfHoursTemplate: h.outOfHoursTemplate ?? '', templateCodes: (await loadTemplates(db, client.id)).map((t) => t.code),
    openNow: hasHours(h) ? isOpenAt(h, client.timezone, c.get('ctx').clock.now()) : null, canManage: canManage(c), ...extra,
  };
  return html(c, <HoursPage v={v(c, client)} d={d} />, status);
}

/** "09:00-13:00, 14:00-18:00" → [["09:00", "13:00"], ["14:00", "18:00"]] (checked by the domain). */
const intervals = (s: string) => s.split(/[,;]/).map((x) => x.trim()).filter(Boolean).map((x) => x.split(/\s*[-–—]\s*/) as [string, string]);

async function testerView(c: C, client: Client, values?: TesterView['values']): Promise<TesterView> {
  const channels = (await listChannelAccounts(c.get('ctx').db, client.id)).map((ch) => ({ id: ch.id, name: ch.name, kind: ch.kind }));
  const t = localTime(c.get('ctx').clock.now(), client.timezone);
  const at = `${t.date}T${String(Math.floor(t.minutes / 60)).padStart(2, '0')}:${String(t.minutes % 60).padStart(2, '0')}`;
  return { client, events: RULE_EVENTS, channels, values: values ?? { text: '', event: 'message.received', channel: channels[0]?.id ?? '', tags: '', at } };
}

export function automationToolsRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/automation/templates', requireUser(), async (c) => templatesPage(c, await scopedClient(c, { what: 'automation.templates' })));

  app.post('/clients/:slug/automation/templates', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.template_save' });
    const f = await readForm(c);
    const values = { code: (f.code ?? '').trim(), ru: f.ru ?? '', kk: f.kk ?? '', en: f.en ?? '' };
    const set = templateSetJson(await loadTemplates(ctx.db, client.id));
    const i = set.templates.findIndex((t) => t.code === values.code);
    const entry = { code: values.code, text: { ru: values.ru, kk: values.kk, en: values.en } };
    const at = i < 0 ? set.templates.length : i;
    set.templates[at] = entry;
    try {
      await replaceTemplates(ctx.db, ctx.clock, client.id, set, actorOf(c));
    } catch (err) {
      const errors = mistake(c, err);
      if (!errors) throw err;
      const [[field, message]] = Object.entries(errors);
      const m = new RegExp(`^templates\\.${at}\\.(code|text)`).exec(field);
      return templatesPage(c, client, { values, errors: { [m ? (m[1] === 'code' ? 'code' : 'ru') : 'form']: message } }, 422);
    }
    return c.redirect(flashUrl(c, `${base(client)}/templates`, 'automation.templates.saved'), 303);
  });

  app.post('/clients/:slug/automation/templates/:code/delete', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.template_delete' });
    const set = templateSetJson(await loadTemplates(ctx.db, client.id));
    const next: TemplateSetInput = { version: 1, templates: set.templates.filter((t) => t.code !== c.req.param('code')) };
    try {
      await replaceTemplates(ctx.db, ctx.clock, client.id, next, actorOf(c));
    } catch (err) {
      const errors = mistake(c, err);
      if (!errors) throw err;
      return templatesPage(c, client, { errors: { form: Object.values(errors)[0] } }, 422);
    }
    return c.redirect(flashUrl(c, `${base(client)}/templates`, 'automation.templates.deleted'), 303);
  });

  app.get('/clients/:slug/automation/hours', requireUser(), async (c) => hoursPage(c, await scopedClient(c, { what: 'automation.hours' })));

  app.post('/clients/:slug/automation/hours', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.hours_save' });
    const f = await readForm(c);
    const patch = {
      week: Object.fromEntries(WEEKDAYS.map((d) => [d, intervals(f[`day_${d}`] ?? '')])),
      holidays: (f.holidays ?? '').split(/[\s,]+/).filter(Boolean),
      out_of_hours_template: f.out_of_hours_template || null,
    };
    try {
      await updateBusinessHours(ctx.db, ctx.clock, client.id, patch, actorOf(c));
    } catch (err) {
      const errors = mistake(c, err);
      if (!errors) throw err;
      const [[field, message]] = Object.entries(errors);
      const day = /^week\.(\w+)/.exec(field)?.[1];
      const key = day ? `day_${day}` : field.startsWith('holidays') ? 'holidays' : field === 'out_of_hours_template' ? field : 'form';
      const week = Object.fromEntries(WEEKDAYS.map((d) => [d, f[`day_${d}`] ?? '']));
      return hoursPage(c, client, { week, holidays: f.holidays ?? '', outOfHoursTemplate: f.out_of_hours_template ?? '', errors: { [key]: message } }, 422);
    }
    return c.redirect(flashUrl(c, `${base(client)}/hours`, 'automation.hours.saved'), 303);
  });

  app.get('/clients/:slug/automation/tester', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'automation.tester' });
    return html(c, <TesterPage v={v(c, client)} d={await testerView(c, client)} />);
  });

  // Reads only: a POST because the sample text may be long and personal, never in a URL or a log.
  app.post('/clients/:slug/automation/tester', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'automation.tester_run' });
    const f = await readForm(c);
    const base = await testerView(c, client);
    const values = { text: f.text ?? '', event: f.event ?? 'message.received', channel: f.channel ?? '', tags: f.tags ?? '', at: f.at || base.values.at };
    const channel = base.channels.find((ch) => ch.id === values.channel);
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(values.at);
    const errors: Record<string, string> = {};
    if (!channel) errors.channel = viewContext(c).t('validation.invalid_field');
    if (!m) errors.at = viewContext(c).t('validation.invalid_field');
    if (!RULE_EVENTS.includes(values.event as RuleEvent)) throw badRequest('Unknown event', 'event');
    const d: TesterView = { ...base, values, errors };
    if (channel && m) {
      const at = instantOf(m[1], Number(m[2]) * 60 + Number(m[3]), client.timezone);
      d.result = await testRules(c.get('ctx').db, client.id, {
        text: values.text, event: values.event as RuleEvent, channel, tags: values.tags.split(',').map((x) => x.trim()).filter(Boolean), at,
      });
    }
    if (c.req.header('hx-request') && d.result) return html(c, <TesterResult v={v(c, client)} r={d.result} />);
    return html(c, <TesterPage v={v(c, client)} d={d} />, Object.keys(errors).length ? 422 : 200);
  });

  app.get('/clients/:slug/automation/transfer', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'automation.transfer' });
    return html(c, <TransferPage v={v(c, client)} d={{ client, canManage: canManage(c) }} />);
  });

  for (const kind of ['rules', 'templates'] as const) {
    app.get(`/clients/:slug/automation/export/${kind}.json`, requireUser(), async (c) => {
      const client = await scopedClient(c, { what: `automation.export_${kind}` });
      const db = c.get('ctx').db;
      const body = kind === 'rules' ? ruleSetJson(await loadRules(db, client.id)) : templateSetJson(await loadTemplates(db, client.id));
      c.header('Content-Disposition', `attachment; filename="${client.slug}-${kind}.json"`);
      return c.json(body);
    });
  }

  app.post('/clients/:slug/automation/import', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'automation.import' });
    const f = await readForm(c);
    const values = { kind: f.kind === 'rules' ? 'rules' : 'templates', json: f.json ?? '' };
    const again = (message: string) => html(c, <TransferPage v={v(c, client)} d={{ client, canManage: true, values, errors: { json: message } }} />, 422);
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.json);
    } catch {
      return again(viewContext(c).t('automation.transfer.bad_json'));
    }
    try {
      if (values.kind === 'rules') await replaceRules(ctx.db, ctx.clock, client.id, parsed, actorOf(c));
      else await replaceTemplates(ctx.db, ctx.clock, client.id, parsed, actorOf(c));
    } catch (err) {
      const errors = mistake(c, err);
      if (!errors) throw err;
      const [[field, message]] = Object.entries(errors);
      return again(`${field}: ${message}`);
    }
    return c.redirect(flashUrl(c, values.kind === 'rules' ? base(client) : `${base(client)}/templates`, 'automation.transfer.imported'), 303);
  });

  return app;
}
