import { Hono, type Context } from 'hono';
import {
  addDays, addMonths, assignPlan, createPlan, getPlan, updatePlan, getBillingDetails, getStatement, issueStatement, listPlans, listStatements, localDay, monthOf, planHistory, quotaStatus,
  statementCsv, updateBillingDetails, usageRows, METRICS, type PlanInput, type UsageRow,
} from '../../billing/index.ts';
import { listChannelAccounts } from '../../channels/index.ts';
import { badRequest } from '../../lib/errors.ts';
import { toCsv } from '../../lib/csv.ts';
import type { Client } from '../../tenants/index.ts';
import { UsageScreen, type UsageDay, type UsagePageView } from '../../../views/pages/usage.tsx';
import { BillingScreen, PlansScreen, StatementScreen, planFormValues } from '../../../views/pages/billing.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

/** Who sees usage, billing details and statements: the operator and the client's owner (and representatives). */
const BILLING_ROLES = ['admin', 'support', 'owner', 'representative'];
/** Billing details are the owner's (and the operator admin's) to edit. */
const DETAILS_EDITORS = ['admin', 'owner'];

/** The month asked for (?month=YYYY-MM), else this one (client-local). */
function monthParam(c: Context<HttpEnv>, today: string): string {
  const m = c.req.query('month');
  if (m === undefined || m === '') return today.slice(0, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) throw badRequest('month must be YYYY-MM', 'month');
  return m;
}

/** Folds the rows of a month into days (every day of the month, zeros included) and channels. */
function foldUsage(rows: UsageRow[], month: string, names: Map<string, string>, noChannel: string) {
  const period = monthOf(`${month}-01`);
  const days = new Map<string, UsageDay>();
  for (let d = period.start; d <= period.end; d = addDays(d, 1)) days.set(d, { date: d, messageIn: 0, messageOut: 0, aiCalls: 0, aiTokens: 0, apiCalls: 0 });
  const channels = new Map<string, { id: string | null; name: string; messageIn: number; messageOut: number }>();
  for (const r of rows) {
    const day = days.get(r.date)!;
    if (r.kind === 'message_in') day.messageIn += r.quantity;
    else if (r.kind === 'message_out') day.messageOut += r.quantity;
    else if (r.kind === 'ai_call') day.aiCalls += r.quantity;
    else if (r.kind === 'ai_tokens_in' || r.kind === 'ai_tokens_out') day.aiTokens += r.quantity;
    else if (r.kind === 'api_call') day.apiCalls += r.quantity;
    if (r.kind === 'message_in' || r.kind === 'message_out') {
      const key = r.channelId ?? '';
      const ch = channels.get(key) ?? { id: r.channelId, name: r.channelId ? names.get(r.channelId) ?? r.channelId : noChannel, messageIn: 0, messageOut: 0 };
      if (r.kind === 'message_in') ch.messageIn += r.quantity;
      else ch.messageOut += r.quantity;
      channels.set(key, ch);
    }
  }
  return { days: [...days.values()], channels: [...channels.values()] };
}

async function usageView(c: Context<HttpEnv>, client: Client): Promise<UsagePageView> {
  const ctx = c.get('ctx');
  const today = localDay(ctx.clock.now(), client.timezone);
  const month = monthParam(c, today);
  const period = monthOf(`${month}-01`);
  const [rows, accounts, quota] = await Promise.all([
    usageRows(ctx.db, client.id, period.start, period.end), listChannelAccounts(ctx.db, client.id), quotaStatus(ctx.db, ctx.clock, client.id, client.timezone),
  ]);
  const { days, channels } = foldUsage(rows, month, new Map(accounts.map((a) => [a.id, a.name])), '—');
  const sum = (k: keyof Omit<UsageDay, 'date'>) => days.reduce((n, d) => n + d[k], 0);
  const months = Array.from({ length: 13 }, (_, i) => addMonths(`${today.slice(0, 7)}-01`, -i).slice(0, 7));
  const current = month === today.slice(0, 7);
  return {
    client, month, months, days, channels,
    totals: { messageIn: sum('messageIn'), messageOut: sum('messageOut'), aiCalls: sum('aiCalls'), aiTokens: sum('aiTokens'), apiCalls: sum('apiCalls'), channels: channels.filter((x) => x.id).length },
    plan: quota.plan?.name ?? null, quotas: current ? quota.lines : [], aiStopped: current && quota.aiStopped,
  };
}

const intField = (f: Record<string, string>, name: string, nullable: boolean): number | null => {
  const v = (f[name] ?? '').trim();
  if (v === '' && nullable) return null;
  if (!/^\d{1,13}$/.test(v)) throw badRequest('Enter a whole number, 0 or more', name);
  return Number(v);
};

function planInput(f: Record<string, string>): PlanInput {
  const included = Object.fromEntries(METRICS.map((m) => [m, intField(f, `included_${m}`, true)])) as PlanInput['included'];
  const overageMinor = Object.fromEntries(METRICS.map((m) => [m, intField(f, `overage_${m}_minor`, false)])) as PlanInput['overageMinor'];
  const onLimit = (f.on_limit || 'bill') as PlanInput['onLimit']; // createPlan/updatePlan refuse anything but bill or stop_ai
  return { name: f.name ?? '', currency: (f.currency ?? 'KZT').trim().toUpperCase(), monthlyPriceMinor: intField(f, 'monthly_price_minor', false)!, included, overageMinor, onLimit };
}

/** The usage page (charts, tables, CSV), billing details, plan assignment, statements; the operator's plans. */
export function billingRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/usage', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: BILLING_ROLES, what: 'billing.usage' });
    const d = await usageView(c, client);
    return html(c, <UsageScreen v={viewContext(c, { timezone: client.timezone })} d={d} />);
  });

  app.get('/clients/:slug/usage.csv', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: BILLING_ROLES, what: 'billing.usage' });
    // Only the rows: the page's channel names and quota status are not part of the file.
    const month = monthParam(c, localDay(c.get('ctx').clock.now(), client.timezone));
    const period = monthOf(`${month}-01`);
    const rows = await usageRows(c.get('ctx').db, client.id, period.start, period.end);
    const body = toCsv(['date', 'channel_id', 'kind', 'quantity'], rows.map((r) => [r.date, r.channelId, r.kind, r.quantity]));
    return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="usage-${client.slug}-${month}.csv"` });
  });

  const billingPage = async (c: Context<HttpEnv>, client: Client, errors?: Record<string, string>, status = 200) => {
    const ctx = c.get('ctx');
    const role = c.get('user')!.role;
    const [details, plans, history, statements] = await Promise.all([
      getBillingDetails(ctx.db, client.id), role === 'admin' ? listPlans(ctx.db) : Promise.resolve([]), planHistory(ctx.db, client.id), listStatements(ctx.db, client.id),
    ]);
    const d = { client, details, plans, history, statements, errors, canEditDetails: DETAILS_EDITORS.includes(role), isOperator: role === 'admin', today: localDay(ctx.clock.now(), client.timezone) };
    return html(c, <BillingScreen v={viewContext(c, { timezone: client.timezone })} d={d} />, status);
  };

  app.get('/clients/:slug/billing', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: BILLING_ROLES, what: 'billing.view' });
    return billingPage(c, client);
  });

  app.post('/clients/:slug/billing/details', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: DETAILS_EDITORS, what: 'billing.details' });
    const f = await readForm(c);
    try {
      await updateBillingDetails(ctx.db, ctx.clock, client.id, { legalName: f.legal_name ?? '', bin: f.bin ?? '', invoiceAddress: f.invoice_address ?? '', email: f.email ?? '' }, actorOf(c));
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return billingPage(c, client, errors, 422);
    }
    return c.redirect(flashUrl(c, `/clients/${client.slug}/billing`, 'billing.saved_flash'), 303);
  });

  app.post('/clients/:slug/billing/plan', requireUser(['admin']), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: ['admin'], what: 'billing.plan' });
    const f = await readForm(c);
    try {
      await assignPlan(ctx.db, ctx.clock, client.id, f.plan_id || null, (f.starts_on ?? '').trim(), actorOf(c));
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return billingPage(c, client, errors, 422);
    }
    return c.redirect(flashUrl(c, `/clients/${client.slug}/billing`, 'billing.saved_flash'), 303);
  });

  app.get('/clients/:slug/statements/:file', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: BILLING_ROLES, what: 'billing.statement' });
    const m = /^(\d{4}-\d{5})(?:\.(csv|json))?$/.exec(c.req.param('file'));
    if (!m) throw badRequest('A statement number looks like 2026-00001');
    const s = await getStatement(ctx.db, client.id, m[1]);
    if (m[2] === 'csv') return c.body(statementCsv(s), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="statement-${s.number}.csv"` });
    if (m[2] === 'json') return c.json(s, 200, { 'Content-Disposition': `attachment; filename="statement-${s.number}.json"` });
    return html(c, <StatementScreen v={viewContext(c, { timezone: client.timezone })} d={{ client, statement: s, isOperator: c.get('user')!.role === 'admin' }} />);
  });

  app.post('/clients/:slug/statements/:number/correct', requireUser(['admin']), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: ['admin'], what: 'billing.correct' });
    const old = await getStatement(ctx.db, client.id, c.req.param('number'));
    const s = await issueStatement(ctx, client.id, { start: old.period_start, end: old.period_end }, { corrects: old.number, by: actorOf(c) });
    if (!s) throw badRequest('No plan is in force for that period: there is nothing to correct');
    return c.redirect(`/clients/${client.slug}/statements/${s.number}`, 303);
  });

  app.get('/billing/plans', requireUser(['admin']), async (c) => {
    return html(c, <PlansScreen v={viewContext(c)} d={{ plans: await listPlans(c.get('ctx').db) }} />);
  });

  app.post('/billing/plans', requireUser(['admin']), async (c) => {
    const ctx = c.get('ctx');
    const f = await readForm(c);
    try {
      await createPlan(ctx.db, ctx.clock, planInput(f), actorOf(c));
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return html(c, <PlansScreen v={viewContext(c)} d={{ plans: await listPlans(ctx.db), errors, values: f }} />, 422);
    }
    return c.redirect(flashUrl(c, '/billing/plans', 'plans.created_flash'), 303);
  });

  app.get('/billing/plans/:id', requireUser(['admin']), async (c) => {
    const db = c.get('ctx').db;
    const plan = await getPlan(db, c.req.param('id'));
    return html(c, <PlansScreen v={viewContext(c)} d={{ plans: await listPlans(db), editing: plan, values: planFormValues(plan) }} />);
  });

  app.post('/billing/plans/:id', requireUser(['admin']), async (c) => {
    const ctx = c.get('ctx');
    const plan = await getPlan(ctx.db, c.req.param('id'));
    const f = await readForm(c);
    try {
      await updatePlan(ctx.db, ctx.clock, plan.id, planInput(f), actorOf(c));
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return html(c, <PlansScreen v={viewContext(c)} d={{ plans: await listPlans(ctx.db), errors, values: f, editing: plan }} />, 422);
    }
    return c.redirect(flashUrl(c, '/billing/plans', 'billing.saved_flash'), 303);
  });

  return app;
}
