import { Hono, type Context } from 'hono';
import { FacebookLogin, InstagramLogin } from '../../channels/index.ts';
import { assertClientAccess, assertRole, findClient, type Client } from '../../tenants/index.ts';
import { isAppError, notFound } from '../../lib/errors.ts';
import { InstagramPickPage, InstagramProblemPage } from '../../../views/pages/instagram-login.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { actorOf, principalOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

// Connecting an Instagram account with Facebook Login: the button posts here, Facebook's dialog
// comes back to the fixed callback URL (the one the settings page tells the operator to paste
// into Meta's dashboard), and several accounts get a picker. The login's `state` is bound to
// the session that began it.

type C = Context<HttpEnv>;
/** What both logins (Facebook's, Instagram's) share: begin, and the state bound to the session. */
type LoginFlow = Pick<FacebookLogin, 'begin' | 'clientOf' | 'forget'>;

/** The redirect URI registered with Meta: one fixed URL for every client (the state says which). */
export const INSTAGRAM_CALLBACK_PATH = '/oauth/instagram/callback';
/** Instagram Login's redirect URI (registered in the Instagram app's settings). */
export const INSTAGRAM_LOGIN_CALLBACK_PATH = '/oauth/instagram-login/callback';

const channelsUrl = (slug: string) => `/clients/${slug}/channels`;

function problem(c: C, key: string, back: string, status: number, params?: Record<string, string>) {
  const v = viewContext(c);
  return html(c, <InstagramProblemPage v={v} message={v.t(`instagram.problem.${key}`, params)} back={back} />, status);
}

/** The refusal of a step, as the page shows it (Meta's own words where Meta refused). */
function failure(c: C, err: unknown, back: string) {
  if (!isAppError(err) || err.status >= 500 && err.code !== 'meta_unavailable') throw err;
  if (err.code === 'meta_not_configured') return problem(c, 'not_configured', back, 409);
  if (err.code === 'bad_state') return problem(c, 'bad_state', back, 400);
  if (err.code === 'already_connected') return problem(c, 'already_connected', back, 409);
  return problem(c, 'meta', back, err.status === 409 ? 409 : 400, { message: err.message });
}

export function instagramLoginRoutes() {
  const app = new Hono<HttpEnv>();
  let fbLogin: FacebookLogin | undefined;
  let igLogin: InstagramLogin | undefined;
  const deps = (c: C) => {
    const ctx = c.get('ctx');
    return { db: ctx.db, clock: ctx.clock, vault: ctx.vault, log: ctx.log, registry: ctx.channels.registry };
  };
  // One of each per app: a login's state lives in it between the redirect and the callback.
  const fb = (c: C) => (fbLogin ??= new FacebookLogin(deps(c)));
  const ig = (c: C) => (igLogin ??= new InstagramLogin(deps(c)));
  const callbackUrl = (c: C, path = INSTAGRAM_CALLBACK_PATH) => `${c.get('ctx').publicUrl().replace(/\/$/, '')}${path}`;

  /** The client a login was begun for, checked again for the person now (role, tenancy). */
  async function clientOfLogin(c: C, clientId: string): Promise<Client> {
    const ctx = c.get('ctx');
    const p = principalOf(c.get('user')!);
    assertRole(p, CLIENT_EDITOR_ROLES);
    const client = await findClient(ctx.db, clientId);
    if (!client) throw notFound('No such client');
    await assertClientAccess(ctx.db, ctx.clock, p, client.id, { ip: c.get('ip'), what: 'channels.create' });
    return client;
  }

  /** Begins a login for the client in the URL: a redirect to Meta's dialog. */
  async function begin(c: C, flow: LoginFlow, path: string) {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'channels.create' });
    await readForm(c);
    try {
      return c.redirect(await flow.begin(c.get('session')!.id, client.id, callbackUrl(c, path)), 303);
    } catch (err) {
      return failure(c, err, channelsUrl(client.slug));
    }
  }

  /** A callback's common first steps: its state, the client it was begun for, and Meta's code (or a problem page). */
  async function callback(c: C, flow: LoginFlow): Promise<{ state: string; client: Client; back: string; code: string } | Response> {
    const state = c.req.query('state') ?? '';
    const clientId = await flow.clientOf(state, c.get('session')!.id);
    if (!clientId) return problem(c, 'bad_state', '/', 400);
    const client = await clientOfLogin(c, clientId);
    const back = channelsUrl(client.slug);
    const code = c.req.query('code');
    if (c.req.query('error') || !code) {
      await flow.forget(state);
      return problem(c, 'denied', back, 400);
    }
    return { state, client, back, code };
  }

  app.post('/clients/:slug/channels/instagram/login', requireUser(), (c) => begin(c, fb(c), INSTAGRAM_CALLBACK_PATH));

  app.get(INSTAGRAM_CALLBACK_PATH, requireUser(), async (c) => {
    const cb = await callback(c, fb(c));
    if (cb instanceof Response) return cb;
    const { state, client, back, code } = cb;
    const session = c.get('session')!;
    try {
      const accounts = await fb(c).complete(state, session.id, code, callbackUrl(c));
      const free = accounts.filter((a) => !a.taken);
      if (free.length === 0) {
        await fb(c).forget(state);
        return problem(c, 'no_accounts', back, 400);
      }
      if (accounts.length === 1) {
        await fb(c).connect(state, session.id, free[0].igId, actorOf(c));
        return c.redirect(flashUrl(c, back, 'instagram.connected'), 303);
      }
      const v = viewContext(c, { timezone: client.timezone });
      return html(c, <InstagramPickPage v={v} d={{ slug: client.slug, clientName: client.name, state, accounts }} />);
    } catch (err) {
      return failure(c, err, back);
    }
  });

  app.post('/clients/:slug/channels/instagram/pick', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'channels.create' });
    const f = await readForm(c);
    const back = channelsUrl(client.slug);
    const state = f.state ?? '';
    if ((await fb(c).clientOf(state, c.get('session')!.id)) !== client.id) return problem(c, 'bad_state', back, 400);
    try {
      await fb(c).connect(state, c.get('session')!.id, f.ig_account_id ?? '', actorOf(c));
    } catch (err) {
      return failure(c, err, back);
    }
    return c.redirect(flashUrl(c, back, 'instagram.connected'), 303);
  });

  // Instagram Login: for a professional account without a Facebook Page.
  app.post('/clients/:slug/channels/instagram/instagram-login', requireUser(), (c) => begin(c, ig(c), INSTAGRAM_LOGIN_CALLBACK_PATH));

  app.get(INSTAGRAM_LOGIN_CALLBACK_PATH, requireUser(), async (c) => {
    const cb = await callback(c, ig(c));
    if (cb instanceof Response) return cb;
    const { state, back, code } = cb;
    try {
      await ig(c).complete(state, c.get('session')!.id, code, callbackUrl(c, INSTAGRAM_LOGIN_CALLBACK_PATH), actorOf(c));
    } catch (err) {
      return failure(c, err, back);
    }
    return c.redirect(flashUrl(c, back, 'instagram.connected'), 303);
  });

  return app;
}
