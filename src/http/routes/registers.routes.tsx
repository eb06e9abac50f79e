import { Hono } from 'hono';
import type { Context } from 'hono';
import { listConsents } from '../../ai/index.ts';
import { listClients } from '../../tenants/index.ts';
import { badRequest } from '../../lib/errors.ts';
import { toCsv } from '../../lib/csv.ts';
import { purgeAfterDays, ACTIVITY_FIELDS, addProcessingActivity, deleteProcessingActivity, listProcessingActivities, DATA_CATEGORIES, dataMapOf, getBreach, listBreaches, markBreachNotified, operatorTimeZone, recordBreach, type Breach } from '../../privacy/index.ts';
import { startOfDayInZone } from '../../lib/zoned-time.ts';
import { BreachesPage, ConsentsPage, RecordsPage, type BreachRow, type BreachesView, type ConsentRow, type RecordsView } from '../../../views/pages/registers.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm, readFormAll } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import type { HttpEnv } from '../env.ts';

// The operator's registers (admins): breaches with their deadlines and notice templates, the
// consent and transfer register of every client, and the record of processing activities (GDPR
// Art. 30); each with a CSV export.

const actor = (c: Context<HttpEnv>) => ({ id: c.get('user')!.id, label: c.get('user')!.email, ip: c.get('ip') });
const csv = (c: Context<HttpEnv>, name: string, text: string) => c.body(`\ufeff${text}`, 200, {
  'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="habar-${name}.csv"`,
});

const MAX_ROWS = 10_000;

async function allBreaches(c: Context<HttpEnv>): Promise<BreachRow[]> {
  const { db } = c.get('ctx');
  const names = new Map((await listClients(db)).map((x) => [x.id, x.name]));
  const rows = (await listBreaches(db, { limit: 200 })).data;
  return rows.map((b: Breach) => ({ ...b, clients: b.clientIds.map((id) => ({ id, name: names.get(id) ?? id })) }));
}

async function breachesPage(c: Context<HttpEnv>, extra: Partial<BreachesView> = {}, status = 200) {
  const { db } = c.get('ctx');
  const timezone = await operatorTimeZone(db);
  const breaches = await allBreaches(c);
  const openId = c.req.query('open');
  const d: BreachesView = { breaches, clients: (await listClients(db)).map((x) => ({ id: x.id, name: x.name })), timezone, open: breaches.find((b) => b.id === openId), ...extra };
  return html(c, <BreachesPage v={viewContext(c, { timezone })} d={d} />, status);
}

/** "YYYY-MM-DDTHH:MM" typed in the operator's zone → the instant. */
function localInput(value: string, timeZone: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  const day = m ? startOfDayInZone(m[1], timeZone) : undefined;
  if (!m || !day) throw badRequest('Enter when the breach was detected', 'detected_at', 'breach_time_invalid');
  return new Date(day.getTime() + (Number(m[2]) * 60 + Number(m[3])) * 60_000).toISOString();
}

async function consentRows(c: Context<HttpEnv>): Promise<ConsentRow[]> {
  const { db } = c.get('ctx');
  const out: ConsentRow[] = [];
  for (const client of await listClients(db)) {
    for (const x of await listConsents(db, client.id)) {
      out.push({ clientName: client.name, provider: x.provider, destination: x.destination, policyVersion: x.policyVersion, recordedBy: x.recordedByLabel, recordedAt: x.recordedAt, withdrawnAt: x.withdrawnAt });
    }
  }
  return out.sort((a, b) => (a.recordedAt < b.recordedAt ? 1 : -1));
}

/** Each category with the recipients any client's configuration sends it to (Art. 30 (1)(d), (e)). */
async function activities(c: Context<HttpEnv>) {
  const ctx = c.get('ctx');
  const clients = await listClients(ctx.db);
  const recipients = new Set<string>();
  for (const client of clients) for (const r of (await dataMapOf(ctx, client.id)).recipients) recipients.add(`${r.kind}${r.abroad ? ' (abroad)' : ''}`);
  const t = viewContext(c).t;
  const purge = await purgeAfterDays(ctx.db);
  return {
    clients: clients.length,
    activities: DATA_CATEGORIES.map((x) => ({
      name: t(`datamap.category.${x.name}`), purpose: t(`datamap.purpose.${x.name}`),
      retention: x.retentionDays === null ? t('datamap.while_active', { days: purge }) : t('datamap.days', { n: x.retentionDays }),
      // Messages, contacts and connections leave for the recipients; account, members, usage and the audit log stay here.
      recipients: ['chat_history', 'contacts', 'channel_connections'].includes(x.name) ? [...recipients].sort() : [],
    })),
  };
}

export function registersRoutes() {
  const app = new Hono<HttpEnv>();
  const admin = requireUser(['admin']);

  app.get('/operator/breaches', admin, (c) => breachesPage(c));

  app.post('/operator/breaches', admin, async (c) => {
    const { db, clock } = c.get('ctx');
    const f = await readForm(c);
    const clientIds = await readFormAll(c, 'client_ids');
    const values = { detected_at: f.detected_at ?? '', description: f.description ?? '', client_ids: clientIds };
    try {
      const b = await recordBreach(db, clock, { detectedAt: localInput(values.detected_at, await operatorTimeZone(db)), description: values.description, clientIds }, actor(c));
      return c.redirect(flashUrl(c, `/operator/breaches?open=${b.id}`, 'breach.recorded'), 303);
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return breachesPage(c, { values, errors }, 422);
    }
  });

  app.post('/operator/breaches/:id/notified/:who{authority|clients}', admin, async (c) => {
    const { db, clock } = c.get('ctx');
    const b = await getBreach(db, c.req.param('id'));
    await markBreachNotified(db, clock, b.id, c.req.param('who') as 'authority' | 'clients', actor(c));
    return c.redirect('/operator/breaches', 303);
  });

  app.get('/operator/breaches.csv', admin, async (c) => {
    const rows = (await allBreaches(c)).slice(0, MAX_ROWS);
    return csv(c, 'breaches', toCsv(
      ['id', 'detected_at', 'description', 'clients', 'authority_deadline', 'gdpr_deadline', 'authority_notified_at', 'clients_notified_at'],
      rows.map((b) => [b.id, b.detectedAt, b.description, b.clients.map((x) => x.name).join('; '), b.kzAuthorityDeadline, b.gdprDeadline, b.authorityNotifiedAt, b.clientsNotifiedAt]),
    ));
  });

  app.get('/operator/consents', admin, async (c) => html(c, <ConsentsPage v={viewContext(c)} rows={await consentRows(c)} />));
  app.get('/operator/consents.csv', admin, async (c) => csv(c, 'consents', toCsv(
    ['client', 'provider', 'destination', 'policy_version', 'recorded_by', 'recorded_at', 'withdrawn_at'],
    (await consentRows(c)).map((r) => [r.clientName, r.provider, r.destination, r.policyVersion, r.recordedBy, r.recordedAt, r.withdrawnAt]),
  )));

  const recordsPage = async (c: Context<HttpEnv>, extra: Partial<RecordsView> = {}, status = 200) =>
    html(c, <RecordsPage v={viewContext(c)} d={{ ...(await activities(c)), own: await listProcessingActivities(c.get('ctx').db), ...extra }} />, status);
  app.get('/operator/records', admin, (c) => recordsPage(c));
  app.post('/operator/records', admin, async (c) => {
    const { db, clock } = c.get('ctx');
    const f = await readForm(c);
    const values = Object.fromEntries(ACTIVITY_FIELDS.map((k) => [k, f[k] ?? '']));
    try {
      await addProcessingActivity(db, clock, values, actor(c));
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return recordsPage(c, { values, errors }, 422);
    }
    return c.redirect('/operator/records', 303);
  });
  app.post('/operator/records/:id/delete', admin, async (c) => {
    const { db, clock } = c.get('ctx');
    await deleteProcessingActivity(db, clock, c.req.param('id'), actor(c));
    return c.redirect('/operator/records', 303);
  });
  // Habar's rows first (source habar), then the operator's own (source operator).
  app.get('/operator/records.csv', admin, async (c) => csv(c, 'processing-activities', toCsv(
    ['source', 'name', 'purpose', 'data_categories', 'data_subjects', 'recipients', 'transfers', 'retention', 'security'],
    [
      ...(await activities(c)).activities.map((a) => ['habar', a.name, a.purpose, a.name, '', a.recipients.join('; '), a.recipients.some((r) => r.includes('(abroad)')) ? 'yes' : '', a.retention, '']),
      ...(await listProcessingActivities(c.get('ctx').db)).map((a) => ['operator', a.name, a.purpose, a.data_categories, a.data_subjects, a.recipients, a.transfers, a.retention, a.security]),
    ],
  )));

  return app;
}
