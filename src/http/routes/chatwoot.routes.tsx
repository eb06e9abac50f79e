import { Hono, type Context } from 'hono';
import { chatwootStatus, requestResync, saveChatwootSettings, type ChatwootPatch } from '../../chatwoot/index.ts';
import type { Client } from '../../tenants/index.ts';
import { badRequest } from '../../lib/errors.ts';
import { ChatwootPage, type ChatwootView } from '../../../views/pages/chatwoot.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

async function page(c: Context<HttpEnv>, client: Client, extra: Partial<ChatwootView> = {}, status = 200) {
  const d: ChatwootView = { client, status: await chatwootStatus(c.get('ctx').db, client.id), canEdit: CLIENT_EDITOR_ROLES.includes(c.get('user')!.role), ...extra };
  return html(c, <ChatwootPage v={viewContext(c, { timezone: client.timezone })} d={d} />, status);
}

const back = (c: Context<HttpEnv>, client: Client, key: string) => c.redirect(flashUrl(c, `/clients/${client.slug}/chatwoot`, key), 303);

/** The connect form → a patch (unticked boxes are false; an empty secret field keeps the stored one). */
function formToPatch(f: Record<string, string>): ChatwootPatch {
  const accountId = (f.account_id ?? '').trim();
  if (!/^\d{1,9}$/.test(accountId)) throw badRequest('The account id is a whole number', 'account_id');
  const patch: ChatwootPatch = {
    url: f.url ?? '', accountId: Number(accountId), signAgentName: f.sign_agent_name === '1', resumeAiOnResolve: f.resume_ai_on_resolve === '1',
  };
  if ((f.api_token ?? '').trim()) patch.apiToken = f.api_token.trim();
  if (f.webhook_secret_clear === '1') patch.webhookSecret = null;
  else if ((f.webhook_secret ?? '').trim()) patch.webhookSecret = f.webhook_secret.trim();
  return patch;
}

/** A client's Chatwoot screen: connect (the credentials are checked against Chatwoot), status, re-sync, disconnect. */
export function chatwootRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/chatwoot', requireUser(), async (c) => page(c, await scopedClient(c, { what: 'chatwoot' })));

  app.post('/clients/:slug/chatwoot/connect', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'chatwoot.connect' });
    const f = await readForm(c);
    try {
      await saveChatwootSettings(ctx, client.id, formToPatch(f), actorOf(c), { connect: true });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      const { api_token: _t, webhook_secret: _s, ...values } = f;
      return page(c, client, { values, errors }, 422);
    }
    return back(c, client, 'chatwoot.connected_flash');
  });

  app.post('/clients/:slug/chatwoot/disconnect', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'chatwoot.disconnect' });
    await saveChatwootSettings(c.get('ctx'), client.id, { apiToken: null }, actorOf(c));
    return back(c, client, 'chatwoot.disconnected_flash');
  });

  app.post('/clients/:slug/chatwoot/resync', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'chatwoot.resync' });
    const f = await readForm(c);
    try {
      await requestResync(ctx.db, ctx.clock, client.id, Number((f.hours ?? '').trim() || 'x'), actorOf(c));
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return page(c, client, { values: { hours: f.hours ?? '' }, errors }, 422);
    }
    ctx.jobs.wake();
    return back(c, client, 'chatwoot.resync_started');
  });

  return app;
}
