import { Hono, type Context } from 'hono';
import { SETTINGS } from '../../settings/index.ts';
import { updateClientSettings, type Client } from '../../tenants/index.ts';
import { ClientSettingsPage, type ClientSettingsView } from '../../../views/pages/client-settings.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { readSettingsForm, settingRows } from '../settings-form.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';


const clientSpecs = () => SETTINGS.filter((s) => s.scope === 'client');

async function page(c: Context<HttpEnv>, client: Client, extra: Partial<ClientSettingsView> = {}, status = 200) {
  const v = viewContext(c, { timezone: client.timezone });
  const rows = await settingRows(c.get('ctx'), v.t, clientSpecs(), client.id);
  return html(c, <ClientSettingsPage v={v} d={{ client, rows, canEdit: CLIENT_EDITOR_ROLES.includes(c.get('user')!.role), ...extra }} />, status);
}

/**
 * A client's runtime settings (every client-scope setting of the registry, e.g. the auto-reply):
 * the same values as `habar settings set --client` and `PUT /api/v1/settings/{area}`.
 */
export function clientSettingsRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/settings', requireUser(), async (c) => page(c, await scopedClient(c, { what: 'settings' })));

  app.post('/clients/:slug/settings', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'settings.update' });
    const user = c.get('user')!;
    const t = viewContext(c).t;
    const { changes, errors, values } = await readSettingsForm(ctx, t, clientSpecs(), await readForm(c), client.id);
    if (Object.keys(errors).length) return page(c, client, { values, errors }, 422);
    const keys = Object.keys(changes);
    const back = (key: string) => c.redirect(flashUrl(c, `/clients/${client.slug}/settings`, key), 303);
    if (!keys.length) return back('clients.no_changes');
    await updateClientSettings(ctx.db, ctx.vault, ctx.clock, client.id, { settings: changes }, { id: user.id, label: user.email, ip: c.get('ip') });
    return back('common.saved');
  });

  return app;
}
