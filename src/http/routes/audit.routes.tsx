import { Hono } from 'hono';
import type { Context } from 'hono';
import { exportAudit, listAudit, type AuditFilter } from '../../audit/index.ts';
import { assertClientAccess, clientIdsWithActiveGrants, findClient, listClients } from '../../tenants/index.ts';
import { endOfDayInZone, startOfDayInZone } from '../../lib/zoned-time.ts';
import { AuditPage, type AuditFilterValues } from '../../../views/pages/audit.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { principalOf } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

const PAGE = 50;
const CSV_MAX = 10000;
/** Dates typed in the filters are calendar days in Almaty (the operator's zone). */
const FILTER_ZONE = 'Asia/Almaty';
const ROLES = ['admin', 'support', 'owner', 'representative'];

interface Scoped {
  filter: AuditFilter;
  values: AuditFilterValues;
  errors?: Record<string, string>;
  timezone: string;
}

/**
 * The audit filter this viewer may see: admins everything, support staff the clients with an
 * active grant (each such access is audited), owners and representatives their own client.
 */
async function scopedFilter(c: Context<HttpEnv>, what: string): Promise<Scoped> {
  const ctx = c.get('ctx');
  const user = c.get('user')!;
  const q = (k: string) => (c.req.query(k) ?? '').trim().slice(0, 200);
  const values: AuditFilterValues = { action: q('action'), actor: q('actor'), from: q('from'), to: q('to'), client: q('client') };
  const filter: AuditFilter = { action: values.action || undefined, actor: values.actor || undefined, before: q('before') || undefined };
  const t = viewContext(c).t;
  const errors: Record<string, string> = {};
  if (values.from) {
    const d = startOfDayInZone(values.from, FILTER_ZONE);
    if (d) filter.from = d.toISOString(); else errors.from = t('audit.bad_date');
  }
  if (values.to) {
    const d = endOfDayInZone(values.to, FILTER_ZONE);
    if (d) filter.to = d.toISOString(); else errors.to = t('audit.bad_date');
  }
  let timezone = FILTER_ZONE;
  if (user.role === 'admin' || user.role === 'support') {
    if (user.role === 'support') {
      filter.clientIds = await clientIdsWithActiveGrants(ctx.db, ctx.clock);
      for (const id of filter.clientIds) await assertClientAccess(ctx.db, ctx.clock, principalOf(user), id, { ip: c.get('ip'), what });
    }
    if (values.client) {
      const cl = await findClient(ctx.db, values.client);
      filter.clientIds = cl && (!filter.clientIds || filter.clientIds.includes(cl.id)) ? [cl.id] : [];
    }
  } else {
    filter.clientId = user.clientId ?? '';
    const own = user.clientId ? await findClient(ctx.db, user.clientId) : undefined;
    if (own) timezone = own.timezone;
  }
  return { filter, values, errors: Object.keys(errors).length ? errors : undefined, timezone };
}

export function auditRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/audit', requireUser(ROLES), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const s = await scopedFilter(c, 'audit.list');
    const rows = s.errors ? [] : await listAudit(ctx.db, { ...s.filter, limit: PAGE + 1 });
    const older = rows.length > PAGE ? rows[PAGE - 1].id : undefined;
    const staff = user.role === 'admin' || user.role === 'support';
    const slugs: Record<string, string> = {};
    if (staff) for (const cl of await listClients(ctx.db)) slugs[cl.id] = cl.slug;
    const d = { rows: rows.slice(0, PAGE), filters: s.values, slugs, showClient: staff, older, errors: s.errors };
    return html(c, <AuditPage v={viewContext(c, { timezone: s.timezone })} d={d} />, s.errors ? 400 : 200);
  });

  app.get('/audit.csv', requireUser(ROLES), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const s = await scopedFilter(c, 'audit.export');
    if (s.errors) return c.text(Object.values(s.errors).join('\n'), 400);
    const csv = await exportAudit(ctx.db, ctx.clock, { ...s.filter, limit: CSV_MAX }, { id: user.id, label: user.email, ip: c.get('ip') }, user.clientId);
    const stamp = ctx.clock.now().toISOString().slice(0, 10).replaceAll('-', '');
    // A byte-order mark so that spreadsheet programs read the Cyrillic text as UTF-8.
    return c.body(`\ufeff${csv}`, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="habar-audit-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
