import { Hono, type Context } from 'hono';
import { getChannelAccount, logoutChannel, reconnectChannel, removeChannelAccount, requestChannelPairingCode, type ChannelAccount } from '../../channels/index.ts';
import type { Client } from '../../tenants/index.ts';
import { ChannelPage, PairingPanel, type ChannelView } from '../../../views/pages/channel.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import { qrSvgDataUrl } from '../qr-code.ts';
import { INBOX_ROLES } from './inbox-data.ts';
import type { HttpEnv } from '../env.ts';

// One channel of a client: its status and paired number, pairing live (the QR code drawn here on
// the server as it rotates, or a pairing code for a phone number), and its buttons: re-pair or
// reconnect, disconnect (log out), delete. Agents look; owners, representatives and admins act.

type C = Context<HttpEnv>;

async function channelView(c: C, client: Client, account: ChannelAccount, extra: Partial<ChannelView> = {}): Promise<ChannelView> {
  const ctx = c.get('ctx');
  const p = ctx.channels.pairing(account.id);
  const pairing = !p ? undefined : p.kind === 'qr' ? (account.status === 'qr' ? { kind: 'qr' as const, image: await qrSvgDataUrl(p.value) } : undefined) : { kind: 'code' as const, code: p.value };
  return {
    client: { slug: client.slug, name: client.name },
    channel: {
      id: account.id, kind: account.kind, name: account.name, status: account.status, lastError: account.lastError, statusAt: account.statusAt,
      phone: account.phone, profileName: account.profileName, pairs: ctx.channels.canPair(account),
    },
    pairing,
    mayChange: CLIENT_EDITOR_ROLES.includes(c.get('user')!.role),
    ...extra,
  };
}

/** The client (role and tenancy checked) and its channel named by the route (another client's: 404). */
async function scoped(c: C, roles: string[], what: string): Promise<{ client: Client; account: ChannelAccount }> {
  const client = await scopedClient(c, { roles, what });
  return { client, account: await getChannelAccount(c.get('ctx').db, client.id, c.req.param('id') ?? '') };
}

export function channelRoutes() {
  const app = new Hono<HttpEnv>();
  const page = (client: Client, account: ChannelAccount) => `/clients/${client.slug}/channels/${account.id}`;

  // `?part=pairing` answers the live panel alone (polled while pairing).
  app.get('/clients/:slug/channels/:id', requireUser(), async (c) => {
    const { client, account } = await scoped(c, INBOX_ROLES, 'channels.view');
    const v = viewContext(c, { timezone: client.timezone });
    const d = await channelView(c, client, account);
    if (c.req.query('part') === 'pairing') return html(c, <PairingPanel v={v} d={d} />);
    return html(c, <ChannelPage v={v} d={d} />);
  });

  app.post('/clients/:slug/channels/:id/pairing-code', requireUser(), async (c) => {
    const { client, account } = await scoped(c, CLIENT_EDITOR_ROLES, 'channels.pair');
    const f = await readForm(c);
    const v = viewContext(c, { timezone: client.timezone });
    try {
      const code = await requestChannelPairingCode(c.get('ctx'), account, f.phone ?? '', actorOf(c));
      const d = await channelView(c, client, await getChannelAccount(c.get('ctx').db, client.id, account.id));
      return html(c, <ChannelPage v={v} d={{ ...d, pairing: { kind: 'code', code }, values: { phone: f.phone ?? '' } }} />);
    } catch (err) {
      const errors = formErrors(err, v.t);
      if (!errors) throw err;
      return html(c, <ChannelPage v={v} d={await channelView(c, client, account, { values: { phone: f.phone ?? '' }, errors })} />, 422);
    }
  });

  app.post('/clients/:slug/channels/:id/connect', requireUser(), async (c) => {
    const { client, account } = await scoped(c, CLIENT_EDITOR_ROLES, 'channels.reconnect');
    await reconnectChannel(c.get('ctx'), account, actorOf(c));
    return c.redirect(flashUrl(c, page(client, account), 'channels.reconnecting'), 303);
  });

  app.post('/clients/:slug/channels/:id/logout', requireUser(), async (c) => {
    const { client, account } = await scoped(c, CLIENT_EDITOR_ROLES, 'channels.logout');
    await logoutChannel(c.get('ctx'), account, actorOf(c));
    return c.redirect(flashUrl(c, page(client, account), 'channels.logged_out'), 303);
  });

  app.post('/clients/:slug/channels/:id/delete', requireUser(), async (c) => {
    const { client, account } = await scoped(c, CLIENT_EDITOR_ROLES, 'channels.delete');
    const f = await readForm(c);
    await removeChannelAccount(c.get('ctx'), account, { purge: f.purge === 'true', by: actorOf(c) });
    return c.redirect(flashUrl(c, `/clients/${client.slug}/channels`, 'channels.deleted'), 303);
  });

  return app;
}
