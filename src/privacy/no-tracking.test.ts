import dc from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, csrfFrom, type TestApp } from '../testing/test-app.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';
import { demoSandbox } from '../testing/messaging-fixtures.ts';
import { systemClock } from '../lib/clock.ts';
import { createApiKey } from '../auth/index.ts';
import { setSetting } from '../settings/index.ts';
import { DEMO_SLUG, getClient } from '../tenants/index.ts';
import { customerUrl } from '../channels/index.ts';

// Policy 3.4 and 4.2 ("no browser cookies or tracking pixels", no profiling): Habar sets only
// functional cookies and, on the embedded default with its workers running, opens no connection to
// anything that nobody configured. Every client socket this process opens is watched (Node's
// `net.client.socket` diagnostics channel: http, https and fetch all go through it).

const FUNCTIONAL_COOKIES = ['habar_session', 'habar_csrf', 'habar_lang', 'habar_customer'];

interface Attempt { host?: string; address?: string; port?: number }

function watchSockets(): { attempts: Attempt[]; stop(): void } {
  const attempts: Attempt[] = [];
  const onSocket = (msg: unknown) => {
    const socket = (msg as { socket: Socket }).socket;
    const a: Attempt = {};
    attempts.push(a);
    socket.on('lookup', (_err: Error | null, address: string, _family: unknown, host: string) => { a.host = host; a.address = address; });
    socket.on('connectionAttempt', (ip: string, port: number) => { a.address = ip; a.port = port; });
    socket.on('connect', () => { a.address = socket.remoteAddress; a.port = socket.remotePort; });
  };
  dc.subscribe('net.client.socket', onSocket);
  return { attempts, stop: () => dc.unsubscribe('net.client.socket', onSocket) };
}

/** fetch with a cookie jar, remembering the name of every cookie the app set. */
function browser(base: string) {
  const jar = new Map<string, string>();
  const set = new Set<string>();
  return {
    set,
    async go(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await fetch(`${base}${path}`, { ...init, headers, redirect: 'manual' });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const name = pair.slice(0, pair.indexOf('=')).trim();
        set.add(name);
        jar.set(name, pair.slice(pair.indexOf('=') + 1));
      }
      return res;
    },
  };
}

const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, ms = 8000) => {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

interface Ctx { app: TestApp; url: string; rx: WebhookReceiver }
const test = suite<Ctx>('no tracking: functional cookies only, no connection nobody configured');

test.before.each(async (ctx) => {
  ctx.rx = await new WebhookReceiver().start();
  ctx.app = await makeTestApp({ clock: systemClock, seed: true, flags: { workers: 'true' } });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
  await ctx.rx.stop();
});

test('a day of use on the embedded default: sign-in, pages, the sandbox chat answered by the FAQ, the API, a webhook; sockets only to this server and the configured webhook', async (ctx) => {
  const watch = watchSockets();
  try {
    const { app, rx } = ctx;
    const url = await app.listen();
    const self = new URL(url);
    const demo = await getClient(app.ctx.db, DEMO_SLUG);
    // The one outside party anybody configured: the client's webhook receiver.
    await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'webhooks.allow_private_targets', 'true');
    const { key } = await createApiKey(app.ctx.db, app.ctx.clock, { clientId: demo.id, label: 'no-tracking' }, { id: null, label: 'test' });
    const api = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    const hook = await (await api('/api/v1/webhooks', { method: 'POST', body: JSON.stringify({ url: rx.url, events: ['message.received'] }) })).json() as { secret: string };
    rx.secret = hook.secret;

    // Staff: the login page in another language, sign-in, the pages.
    const staff = browser(url);
    const login = await staff.go('/login?lang=kk');
    const signIn = await staff.go('/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfFrom(await login.text()), email: 'admin@habar.local', password: app.adminPassword! }),
    });
    assert.is(signIn.status, 303);
    for (const p of ['/', '/account/password', `/clients/${DEMO_SLUG}`, `/clients/${DEMO_SLUG}/inbox`, '/settings']) await staff.go(p);

    // A customer on the sandbox page: the offline FAQ answers, in-process.
    const page = new URL(customerUrl(url, await demoSandbox(app))!).pathname;
    const customer = browser(url);
    const chat = await customer.go(page);
    assert.is(chat.status, 200);
    const sent = await customer.go(`${page}/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ text: 'Здравствуйте! Какие у вас часы работы?' }) });
    assert.ok(sent.status < 400, `posted: ${sent.status}`);
    await waitFor('the FAQ answer', async () => (await app.ctx.db.selectFrom('messages').select('id').where('client_id', '=', demo.id).where('direction', '=', 'out').execute()).length > 0);
    await waitFor('the webhook delivery', () => rx.requests.length > 0);

    const names = [...staff.set, ...customer.set];
    for (const n of names) assert.ok(FUNCTIONAL_COOKIES.includes(n), `cookie ${n} is not one of the functional ones`);
    assert.ok(staff.set.has('habar_session') && staff.set.has('habar_lang') && customer.set.has('habar_customer'), 'the walk set the functional cookies');

    const receiver = new URL(rx.url);
    const allowed = new Set([`${self.hostname}:${self.port}`, `${receiver.hostname}:${receiver.port}`]);
    const seen = watch.attempts.map((a) => `${a.address ?? a.host}:${a.port ?? '?'}`);
    assert.ok(seen.includes(`${receiver.hostname}:${receiver.port}`), 'the watch sees the configured webhook: it would see anything else too');
    for (const a of watch.attempts) assert.ok(!a.host || a.host === '127.0.0.1' || a.host === 'localhost', `a DNS lookup of ${a.host}`);
    assert.equal(seen.filter((s) => !allowed.has(s)), [], 'connections to hosts nobody configured');
  } finally {
    watch.stop();
  }
});

test.run();
