import { Hono, type Context } from 'hono';
import { terminateClient, type Client } from '../../tenants/index.ts';
import { purgePlan } from '../../privacy/index.ts';
import { TerminationPage } from '../../../views/pages/termination.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

/** Only the operator's admins terminate a client (the contract is between the operator and the client). */
const TERMINATION_ROLES = ['admin'];

async function page(c: Context<HttpEnv>, client: Client, error?: string, status = 200) {
  const plan = await purgePlan(c.get('ctx'), client.id);
  return html(c, <TerminationPage v={viewContext(c, { timezone: client.timezone })} d={{ client, plan, error }} />, status);
}

export function terminationRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/termination', requireUser(), async (c) => page(c, await scopedClient(c, { roles: TERMINATION_ROLES, what: 'client.termination' })));

  app.post('/clients/:slug/termination', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: TERMINATION_ROLES, what: 'client.terminate' });
    const f = await readForm(c);
    if ((f.confirm_slug ?? '').trim() !== client.slug) return page(c, client, viewContext(c).t('termination.wrong_slug'), 422);
    await terminateClient(ctx.db, ctx.clock, client.id, actorOf(c));
    // Its channels stop at once (the messaging room refuses them from now on; their adapters end here).
    await ctx.channels.stopClient(client.id);
    return c.redirect(flashUrl(c, `/clients/${client.slug}/termination`, 'termination.done'), 303);
  });

  return app;
}
