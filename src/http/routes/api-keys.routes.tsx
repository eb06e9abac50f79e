import { Hono, type Context } from 'hono';
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/index.ts';
import type { Client } from '../../tenants/index.ts';
import { ApiKeysPage, type ApiKeysView } from '../../../views/pages/api-keys.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';


const page = async (c: Context<HttpEnv>, client: Client, extra: Partial<ApiKeysView> = {}, status = 200) => {
  const d: ApiKeysView = {
    client, keys: await listApiKeys(c.get('ctx').db, client.id), canManage: CLIENT_EDITOR_ROLES.includes(c.get('user')!.role), ...extra,
  };
  return html(c, <ApiKeysPage v={viewContext(c, { timezone: client.timezone })} d={d} />, status);
};

const actor = (c: Context<HttpEnv>) => ({ id: c.get('user')!.id, label: c.get('user')!.email, ip: c.get('ip') });

/** The API keys screen of a client: create (shown once), list with last use, revoke. */
export function apiKeysRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/api-keys', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'api_keys.list' });
    return page(c, client);
  });

  app.post('/clients/:slug/api-keys', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'api_keys.create' });
    const f = await readForm(c);
    try {
      const { key, apiKey } = await createApiKey(ctx.db, ctx.clock, { clientId: client.id, label: f.label }, actor(c));
      ctx.log.info('auth', 'api key created', { client_id: client.id, api_key_id: apiKey.id });
      // The key is in this response only: never in a URL, a log line or the database.
      return page(c, client, { issued: key });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return page(c, client, { values: { label: f.label ?? '' }, errors }, 422);
    }
  });

  app.post('/clients/:slug/api-keys/:id/revoke', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'api_keys.revoke' });
    await revokeApiKey(ctx.db, ctx.clock, client.id, c.req.param('id'), actor(c));
    return c.redirect(flashUrl(c, `/clients/${client.slug}/api-keys`, 'api_keys.revoked_flash'), 303);
  });

  return app;
}
