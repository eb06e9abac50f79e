import { Hono, type Context } from 'hono';
import {
  WEBHOOK_EVENTS, createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, redeliver, updateWebhook,
} from '../../webhooks/index.ts';
import type { Client } from '../../tenants/index.ts';
import { WebhookLogPage, WebhooksPage, type WebhooksView } from '../../../views/pages/webhooks.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm, readFormAll } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';


const canManage = (c: Context<HttpEnv>) => CLIENT_EDITOR_ROLES.includes(c.get('user')!.role);
const by = (c: Context<HttpEnv>) => ({ id: c.get('user')!.id, label: c.get('user')!.email, ip: c.get('ip') });

const listPage = async (c: Context<HttpEnv>, client: Client, extra: Partial<WebhooksView> = {}, status = 200) => {
  const d: WebhooksView = { client, webhooks: await listWebhooks(c.get('ctx').db, client.id), events: WEBHOOK_EVENTS, canManage: canManage(c), ...extra };
  return html(c, <WebhooksPage v={viewContext(c, { timezone: client.timezone })} d={d} />, status);
};

const back = (c: Context<HttpEnv>, to: string, key: string) => c.redirect(flashUrl(c, to, key), 303);

/** The webhooks screen of a client: register (secret shown once), delivery log, redeliver. */
export function webhooksRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/webhooks', requireUser(), async (c) => {
    return listPage(c, await scopedClient(c, { what: 'webhooks.list' }));
  });

  app.post('/clients/:slug/webhooks', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'webhooks.create' });
    const f = await readForm(c);
    const events = await readFormAll(c, 'events');
    try {
      const { webhook, secret } = await createWebhook(ctx.db, ctx.vault, ctx.clock, client.id, { url: (f.url ?? '').trim(), events, secret: f.secret || undefined }, by(c));
      // The secret is in this response only.
      return listPage(c, client, { issued: { url: webhook.url, secret } });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return listPage(c, client, { values: { url: f.url ?? '', events }, errors }, 422);
    }
  });

  app.get('/clients/:slug/webhooks/:id', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'webhooks.log' });
    const db = c.get('ctx').db;
    const webhook = await getWebhook(db, client.id, c.req.param('id'));
    const cursor = c.req.query('cursor');
    const rows = await listDeliveries(db, client.id, webhook.id, { before: cursor && /^[0-9a-z]{26}$/.test(cursor) ? cursor : undefined, limit: 51 });
    const deliveries = rows.slice(0, 50);
    const d = { client, webhook, deliveries, nextCursor: rows.length > 50 ? deliveries[49].id : null, canManage: canManage(c) };
    return html(c, <WebhookLogPage v={viewContext(c, { timezone: client.timezone })} d={d} />);
  });

  for (const [action, active] of [['pause', false], ['resume', true]] as const) {
    app.post(`/clients/:slug/webhooks/:id/${action}`, requireUser(), async (c) => {
      const ctx = c.get('ctx');
      const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: `webhooks.${action}` });
      const w = await updateWebhook(ctx.db, ctx.vault, ctx.clock, client.id, c.req.param('id'), { active }, by(c));
      return back(c, `/clients/${client.slug}/webhooks/${w.id}`, 'common.saved');
    });
  }

  app.post('/clients/:slug/webhooks/:id/delete', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'webhooks.delete' });
    const id = c.req.param('id');
    await deleteWebhook(c.get('ctx').db, c.get('ctx').clock, client.id, id, by(c));
    return back(c, `/clients/${client.slug}/webhooks`, 'webhooks.deleted');
  });

  app.post('/clients/:slug/webhooks/:id/deliveries/:deliveryId/redeliver', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'webhooks.redeliver' });
    const id = c.req.param('id');
    await redeliver(ctx.db, ctx.clock, client.id, id, c.req.param('deliveryId'));
    ctx.jobs.wake();
    return back(c, `/clients/${client.slug}/webhooks/${id}`, 'webhooks.redelivered');
  });

  return app;
}
