import { Hono, type Context } from 'hono';
import { addChannelAccount, customerUrl, instagramDeliveryMode, listChannelAccounts } from '../../channels/index.ts';
import type { Client } from '../../tenants/index.ts';
import { ChannelsPage, ChannelTable, type ChannelsView } from '../../../views/pages/channels.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient } from '../client-scope.ts';
import { INBOX_ROLES } from './inbox-data.ts';
import type { HttpEnv } from '../env.ts';

// A client's channels: every account with its status, number and last error, a sandbox's
// customer-side chat link, creating another sandbox or a WhatsApp number (paired on its own page,
// channel.routes.tsx).

type C = Context<HttpEnv>;

/** Who adds channels; agents see the list (they hand out the sandbox link) but change nothing. */
const CREATOR_ROLES = ['admin', 'owner', 'representative'];

async function channelsView(c: C, client: Client, extra: Partial<ChannelsView> = {}): Promise<ChannelsView> {
  const ctx = c.get('ctx');
  const accounts = await listChannelAccounts(ctx.db, client.id);
  return {
    client: { slug: client.slug, name: client.name },
    channels: accounts.map((a) => ({
      id: a.id, kind: a.kind, name: a.name, status: a.status, lastError: a.lastError, statusAt: a.statusAt, customerUrl: customerUrl(ctx.publicUrl(), a),
      phone: a.phone, profileName: a.profileName,
    })),
    mayCreate: CREATOR_ROLES.includes(c.get('user')!.role),
    instagramDelivery: instagramDeliveryMode(ctx.publicUrl()),
    ...extra,
  };
}

export function channelsRoutes() {
  const app = new Hono<HttpEnv>();

  // `?part=table` answers the table alone (the live refresh).
  app.get('/clients/:slug/channels', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'channels.list' });
    const v = viewContext(c, { timezone: client.timezone });
    const d = await channelsView(c, client);
    if (c.req.query('part') === 'table') return html(c, <ChannelTable v={v} d={d} />);
    return html(c, <ChannelsPage v={v} d={d} />);
  });

  app.post('/clients/:slug/channels/sandbox', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CREATOR_ROLES, what: 'channels.create' });
    const f = await readForm(c);
    const v = viewContext(c, { timezone: client.timezone });
    try {
      const account = await addChannelAccount(ctx.db, ctx.clock, ctx.vault, { clientId: client.id, kind: 'sandbox', name: f.name ?? '' }, actorOf(c), ctx.channels.registry);
      await ctx.channels.startAccount(account);
    } catch (err) {
      const errors = formErrors(err, v.t);
      if (!errors) throw err;
      return html(c, <ChannelsPage v={v} d={await channelsView(c, client, { values: { name: f.name ?? '' }, errors })} />, 422);
    }
    return c.redirect(flashUrl(c, `/clients/${client.slug}/channels`, 'channels.created'), 303);
  });

  // A WhatsApp number: created connecting, its adapter started (pairing begins), then its page shows the QR code.
  app.post('/clients/:slug/channels/whatsapp', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CREATOR_ROLES, what: 'channels.create' });
    const f = await readForm(c);
    const v = viewContext(c, { timezone: client.timezone });
    let account;
    try {
      account = await addChannelAccount(ctx.db, ctx.clock, ctx.vault, { clientId: client.id, kind: 'whatsapp', name: f.name ?? '' }, actorOf(c), ctx.channels.registry);
    } catch (err) {
      const errors = formErrors(err, v.t);
      if (!errors) throw err;
      return html(c, <ChannelsPage v={v} d={await channelsView(c, client, { whatsapp: { values: { name: f.name ?? '' }, errors } })} />, 422);
    }
    await ctx.channels.startAccount(account);
    return c.redirect(flashUrl(c, `/clients/${client.slug}/channels/${account.id}`, 'channels.whatsapp_started'), 303);
  });

  return app;
}
