import { Hono } from 'hono';
import type { Context } from 'hono';
import { findUserById } from '../../auth/index.ts';
import { notFound } from '../../lib/errors.ts';
import { findSupportGrant, grantSupportAccess, listSupportGrants, revokeSupportAccess, MAX_GRANT_HOURS, type Client } from '../../tenants/index.ts';
import { SupportAccessPage, type GrantRow, type SupportAccessView } from '../../../views/pages/support-access.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

/** The client's own people grant support access; admins may also end a grant. */
const GRANTER_ROLES = ['owner', 'representative'];

async function grantRows(c: Context<HttpEnv>, client: Client): Promise<GrantRow[]> {
  const ctx = c.get('ctx');
  const now = ctx.clock.now().toISOString();
  const grants = await listSupportGrants(ctx.db, client.id);
  const labels = new Map<string, string>();
  for (const id of new Set(grants.map((g) => g.grantedBy))) labels.set(id, (await findUserById(ctx.db, id))?.email ?? id);
  return grants.map((g) => ({
    ...g, grantedByLabel: labels.get(g.grantedBy) ?? g.grantedBy,
    status: g.revokedAt ? 'revoked' : g.expiresAt > now && g.startsAt <= now ? 'active' : 'expired',
  }));
}

async function page(c: Context<HttpEnv>, client: Client, extra: Partial<SupportAccessView> = {}, status = 200) {
  const role = c.get('user')!.role;
  const d: SupportAccessView = {
    client, grants: await grantRows(c, client), canGrant: GRANTER_ROLES.includes(role), canRevoke: CLIENT_EDITOR_ROLES.includes(role), maxHours: MAX_GRANT_HOURS, ...extra,
  };
  return html(c, <SupportAccessPage v={viewContext(c, { timezone: client.timezone })} d={d} />, status);
}

export function supportAccessRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/support', requireUser(), async (c) => page(c, await scopedClient(c, { what: 'support.list' })));

  app.post('/clients/:slug/support', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const client = await scopedClient(c, { roles: GRANTER_ROLES, what: 'support.grant' });
    const f = await readForm(c);
    const values = { hours: f.hours ?? '', reason: f.reason ?? '' };
    try {
      const hours = /^\d{1,5}$/.test(values.hours.trim()) ? Number(values.hours.trim()) : NaN;
      const grant = await grantSupportAccess(ctx.db, ctx.clock, { clientId: client.id, grantedBy: user.id, hours, reason: values.reason }, { id: user.id, label: user.email, ip: c.get('ip') });
      const v = viewContext(c, { timezone: client.timezone });
      return c.redirect(flashUrl(c, `/clients/${client.slug}/support`, 'support.granted', { time: v.time(grant.expiresAt) }), 303);
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return page(c, client, { values, errors }, 422);
    }
  });

  app.post('/clients/:slug/support/:grantId/revoke', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'support.revoke' });
    const grant = await findSupportGrant(ctx.db, client.id, c.req.param('grantId'));
    if (!grant) throw notFound('No such grant');
    await revokeSupportAccess(ctx.db, ctx.clock, client.id, grant.id, { id: user.id, label: user.email, ip: c.get('ip') });
    return c.redirect(flashUrl(c, `/clients/${client.slug}/support`, 'support.revoked'), 303);
  });

  return app;
}
