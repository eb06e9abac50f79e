import { Hono, type Context } from 'hono';
import { isStaffRole } from '../../auth/index.ts';
import { listIdentities, searchContacts } from '../../messaging/index.ts';
import {
  dueDateFor, eraseContact, eraseDepsOf, liftContactObjection, liftRestriction, listRequests, objectForContact, restrictContact, type PrivacyBy,
} from '../../privacy/index.ts';
import type { Client } from '../../tenants/index.ts';
import { notFound } from '../../lib/errors.ts';
import { PrivacyPage } from '../../../views/pages/privacy.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { AppContext, HttpEnv } from '../env.ts';

/** Who acts, as the register and the audit log record them: a client's member, or operator staff. */
const byUser = (c: Context<HttpEnv>): PrivacyBy => {
  const user = c.get('user')!;
  return { requester: { kind: isStaffRole(user.role) ? 'operator' : 'member', id: user.id }, audit: actorOf(c) };
};

const ACTIONS: Record<string, (ctx: AppContext, clientId: string, contactId: string, by: PrivacyBy) => Promise<unknown>> = {
  restrict: restrictContact,
  unrestrict: liftRestriction,
  object: objectForContact,
  unobject: liftContactObjection,
  erase: (ctx, clientId, contactId, by) => eraseContact(eraseDepsOf(ctx), clientId, contactId, by),
  minor: (ctx, clientId, contactId, by) => eraseContact(eraseDepsOf(ctx), clientId, contactId, by, 'minor'),
};

async function page(c: Context<HttpEnv>, client: Client) {
  const ctx = c.get('ctx');
  const query = (c.req.query('q') ?? '').slice(0, 200);
  const found = query.trim() ? await searchContacts(ctx.db, client.id, query) : undefined;
  const contacts = found && await Promise.all(found.map(async (contact) => ({
    contact, identities: (await listIdentities(ctx.db, contact.id)).map((i) => `${i.kind}: ${i.value}`),
  })));
  const now = ctx.clock.now();
  return html(c, <PrivacyPage v={viewContext(c, { timezone: client.timezone })} d={{
    client, query, contacts, requests: (await listRequests(ctx.db, { clientId: client.id, limit: 100 })).data,
    today: dueDateFor(now, client.timezone, 0), soon: dueDateFor(now, client.timezone, 7), canAct: CLIENT_EDITOR_ROLES.includes(c.get('user')!.role),
  }} />);
}

/** The privacy screen of a client: find a contact, act on their request, see the request register. */
export function privacyRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/privacy', requireUser(), async (c) => page(c, await scopedClient(c, { what: 'privacy.view' })));

  app.post('/clients/:slug/privacy/contacts/:contactId/:action', requireUser(), async (c) => {
    const action = ACTIONS[c.req.param('action')];
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'privacy.act' });
    if (!action || !Object.hasOwn(ACTIONS, c.req.param('action'))) throw notFound('No such action');
    await action(c.get('ctx'), client.id, c.req.param('contactId'), byUser(c));
    const erased = ['erase', 'minor'].includes(c.req.param('action'));
    return c.redirect(flashUrl(c, `/clients/${client.slug}/privacy`, erased ? 'privacy.erased_flash' : 'privacy.done_flash'), 303);
  });

  return app;
}
