import { Hono, type Context } from 'hono';
import { exportLinkDays, listRequests, openExportDownload, requestExport, type PrivacyRequest } from '../../privacy/index.ts';
import type { Client } from '../../tenants/index.ts';
import { ExportList, ExportsPage, type ExportRow, type ExportsView } from '../../../views/pages/exports.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { sendFileDownload } from '../send-file.ts';
import { actorOf, scopedClient } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

/** Who exports the client's data from the UI: its owner and representatives, and the operator's admins. */
const EXPORT_ROLES = ['admin', 'owner', 'representative'];
const EXPORT_KINDS = new Set(['client_export', 'contact_export']);

function rowOf(r: PrivacyRequest, slug: string, now: number): ExportRow {
  const live = r.status === 'done' && r.downloadPath && r.expiresAt && Date.parse(r.expiresAt) > now;
  return {
    id: r.id, kind: r.kind as ExportRow['kind'], status: r.status, progress: r.progress, receivedAt: r.receivedAt, expiresAt: r.expiresAt,
    downloadUrl: live ? `/clients/${slug}/exports/${r.id}/download` : null,
  };
}

async function exportsView(c: Context<HttpEnv>, client: Client): Promise<ExportsView> {
  const ctx = c.get('ctx');
  const page = await listRequests(ctx.db, { clientId: client.id, limit: 200 });
  const now = ctx.clock.now().getTime();
  return { client, linkDays: await exportLinkDays(ctx.db), exports: page.data.filter((r) => EXPORT_KINDS.has(r.kind)).slice(0, 20).map((r) => rowOf(r, client.slug, now)) };
}

export function exportsRoutes() {
  const app = new Hono<HttpEnv>();

  // `?part=list` answers the list alone (it polls itself while an export is being written).
  app.get('/clients/:slug/exports', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: EXPORT_ROLES, what: 'exports.list' });
    const v = viewContext(c, { timezone: client.timezone });
    const d = await exportsView(c, client);
    if (c.req.query('part') === 'list') return html(c, <ExportList v={v} d={d} />);
    return html(c, <ExportsPage v={v} d={d} />);
  });

  app.post('/clients/:slug/exports', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: EXPORT_ROLES, what: 'exports.create' });
    const user = c.get('user')!;
    await requestExport(ctx, { clientId: client.id, requester: { kind: user.clientId ? 'member' : 'operator', id: user.id }, by: actorOf(c), lang: c.get('lang') });
    ctx.jobs.wake();
    return c.redirect(flashUrl(c, `/clients/${client.slug}/exports`, 'exports.started'), 303);
  });

  // A contact's export, from the privacy screen's contact actions.
  app.post('/clients/:slug/exports/contacts/:contactId', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: EXPORT_ROLES, what: 'exports.create_contact' });
    const user = c.get('user')!;
    await requestExport(ctx, {
      clientId: client.id, contactId: c.req.param('contactId'), requester: { kind: user.clientId ? 'member' : 'operator', id: user.id }, by: actorOf(c), lang: c.get('lang'),
    });
    ctx.jobs.wake();
    return c.redirect(flashUrl(c, `/clients/${client.slug}/exports`, 'exports.started'), 303);
  });

  app.get('/clients/:slug/exports/:id/download', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: EXPORT_ROLES, what: 'exports.download' });
    const d = await openExportDownload({ ...ctx, dataDir: ctx.config.dataDir }, client.id, c.req.param('id'), actorOf(c));
    return sendFileDownload(c, d.file, d.fileName, 'application/zip');
  });

  return app;
}
