import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, CookieJar, type TestApp } from '../../testing/test-app.ts';
import { quietSandbox, demoSandbox } from '../../testing/messaging-fixtures.ts';
import { customerUrl, signedCustomerUrl, type ChannelAccount } from '../../channels/index.ts';
import { sendMessage } from '../../messaging/index.ts';
import { setSetting } from '../../settings/index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount; base: string }>('sandbox customer chat page');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
  ctx.base = `/c/${ctx.ch.publicToken}`;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const postJson = (app: TestApp, path: string, body: unknown, raw?: string) =>
  app.request(path, { method: 'POST', body: raw ?? JSON.stringify(body), headers: { 'content-type': 'application/json' } });

const pathOf = (url: string) => { const u = new URL(url); return u.pathname + u.search; };

const messageCount = async (app: TestApp) => Number((await app.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

test('the demo client has a sandbox channel whose customer URL is built from the public URL', async ({ app }) => {
  const demo = await demoSandbox(app);
  assert.is(customerUrl('https://habar.example.kz', demo), `https://habar.example.kz/c/${demo.publicToken}`);
  assert.ok(demo.publicToken!.length >= 32, 'unguessable');
});

test('a posted message answers 201 with its id once stored; a replay with the same message_id answers 200 and stores nothing', async ({ app, base }) => {
  const res = await postJson(app, `${base}/messages`, { text: 'Hello from a script', customer: 'cust-1', message_id: 'abc-1' });
  assert.is(res.status, 201);
  const { id } = await res.json() as { id: string };
  const stored = await app.ctx.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.is(stored.text, 'Hello from a script');
  const replay = await postJson(app, `${base}/messages`, { text: 'Hello from a script', customer: 'cust-1', message_id: 'abc-1' });
  assert.is(replay.status, 200);
  assert.equal(await replay.json(), { id });
  assert.is(await messageCount(app), 1);
  // The same message_id from another customer is another message.
  const other = await postJson(app, `${base}/messages`, { text: 'Hi', customer: 'cust-2', message_id: 'abc-1' });
  assert.is(other.status, 201);
  assert.is(await messageCount(app), 2);
});

test('without a customer id the link itself is one contact', async ({ app, base }) => {
  await postJson(app, `${base}/messages`, { text: 'one' });
  await postJson(app, `${base}/messages`, { text: 'two' });
  const contacts = await app.ctx.db.selectFrom('contacts').select('id').execute();
  assert.is(contacts.length, 1);
  assert.is(await messageCount(app), 2);
});

test('bad input gets a 400 naming the problem, and nothing is stored', async ({ app, base }) => {
  const cases: Array<[unknown, string | undefined, RegExp, string | undefined]> = [
    [undefined, '{"text": "hi"', /not valid JSON/, undefined],
    [['hi'], undefined, /JSON object/, undefined],
    [{ text: 'hi', channel: 'x' }, undefined, /Unknown field "channel"/, 'channel'],
    [{ customer: 'a' }, undefined, /"text"/, 'text'],
    [{ text: '   ' }, undefined, /"text"/, 'text'],
    [{ text: 'x'.repeat(4097) }, undefined, /at most 4096/, 'text'],
    [{ text: 'hi', customer: 42 }, undefined, /"customer"/, 'customer'],
    [{ text: 'hi', message_id: '' }, undefined, /"message_id"/, 'message_id'],
  ];
  for (const [body, raw, message, field] of cases) {
    const res = await postJson(app, `${base}/messages`, body, raw);
    assert.is(res.status, 400, JSON.stringify(body ?? raw));
    const err = (await res.json() as { error: { message: string; field?: string } }).error;
    assert.match(err.message, message);
    assert.is(err.field, field);
  }
  assert.is(await messageCount(app), 0);
  const huge = await postJson(app, `${base}/messages`, undefined, JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }));
  assert.is(huge.status, 413);
  assert.is((await huge.json() as { error: { code: string } }).error.code, 'payload_too_large');
  assert.is(await messageCount(app), 0);
});

test('an unknown link is a 404, and guessing links is rate limited', async ({ app }) => {
  const res = await postJson(app, '/c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/messages', { text: 'hi' });
  assert.is(res.status, 404);
  assert.is((await res.json() as { error: { code: string } }).error.code, 'not_found');
  let status = 0;
  for (let i = 0; i < 25 && status !== 429; i++) status = (await app.request(`/c/guess${i}aaaaaaaaaaaaaaaaaaaa`)).status;
  assert.is(status, 429);
});

test('posts beyond the per-minute limit get 429 with Retry-After and are not stored', async ({ app, base }) => {
  await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'sandbox.rate_limit_per_minute', '2');
  assert.is((await postJson(app, `${base}/messages`, { text: '1' })).status, 201);
  assert.is((await postJson(app, `${base}/messages`, { text: '2' })).status, 201);
  const limited = await postJson(app, `${base}/messages`, { text: '3' });
  assert.is(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.is(await messageCount(app), 2);
});

test('a customer chats on the page without any admin session: writes, and sees the agent reply', async ({ app, ch, base }) => {
  const jar = new CookieJar();
  const page = await app.request(base, { jar });
  assert.is(page.status, 200);
  const html = await page.text();
  assert.match(html, /name="viewport"/);
  assert.ok(jar.get('habar_customer'), 'one customer id per browser');
  const messageId = html.match(/name="message_id" value="([^"]+)"/)![1];
  // The form as htmx sends it: no CSRF token needed on this public path.
  const send = () => app.request(`${base}/messages`, {
    method: 'POST', jar, headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
    body: new URLSearchParams({ text: 'Do you have <b>size 42</b>?', message_id: messageId }),
  });
  const posted = await send();
  assert.is(posted.status, 200);
  const fragment = await posted.text();
  assert.match(fragment, /Do you have &lt;b&gt;size 42&lt;\/b&gt;\?/, 'customer text is escaped');
  assert.match(fragment, /hx-swap-oob="true"/, 'a fresh form comes back out of band');
  assert.ok(!fragment.includes(`value="${messageId}"`), 'with a new message id');
  assert.is((await send()).status, 200, 'a double submit of the same form');
  assert.is(await messageCount(app), 1, '…stores one message');

  const poll = await app.request(`${base}/thread`, { jar });
  const version = (await poll.text()).match(/thread\?v=([^"&]+)/)![1];
  assert.is((await app.request(`${base}/thread?v=${version}`, { jar })).status, 204, 'nothing new: nothing to swap');

  const conv = await app.ctx.db.selectFrom('conversations').select('id').executeTakeFirstOrThrow();
  await sendMessage(app.ctx, ch.clientId, conv.id, { text: 'Yes, in black and white.', authorKind: 'agent' });
  assert.is((await app.request(`${base}/thread?v=${version}`, { jar })).status, 204, 'a queued reply is not yet delivered');
  await app.ctx.jobs.drain();
  const updated = await app.request(`${base}/thread?v=${version}`, { jar });
  assert.is(updated.status, 200);
  assert.match(await updated.text(), /Yes, in black and white\./);

  // Another browser is another customer and sees none of it.
  const stranger = await (await app.request(base, { jar: new CookieJar() })).text();
  assert.not.match(stranger, /size 42|black and white/);
});

test('a message over the limit sent without JavaScript comes back whole, with the length said in the page\'s language, and nothing is stored', async ({ app, base }) => {
  const jar = new CookieJar();
  const page = await (await app.request(`${base}?lang=kk`, { jar })).text();
  assert.match(page, /<html lang="kk"/, 'the page follows its language switch');
  assert.not.match(page, /maxlength=/, 'the box does not cut a pasted message');
  const long = 'Сәлем! '.repeat(600); // 4200 characters
  const res = await app.request(`${base}/messages`, {
    method: 'POST', jar, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ text: long }),
  });
  assert.is(res.status, 400);
  const html = await res.text();
  assert.ok(html.includes('Хабарламада 4200 таңба, ал біреуіне 4096 таңбадан аспайды.'), 'said in Kazakh, with both numbers');
  assert.ok(html.includes(`>${long}</textarea>`), 'the text comes back uncut');
  assert.is(await messageCount(app), 0);
});

test('the sandbox receives a message once however often its send runs', async ({ app, ch, base }) => {
  await postJson(app, `${base}/messages`, { text: 'hi', customer: 'zed' });
  const conv = await app.ctx.db.selectFrom('conversations').select(['id', 'contact_id']).executeTakeFirstOrThrow();
  const msg = await sendMessage(app.ctx, ch.clientId, conv.id, { text: 'Once only', authorKind: 'agent' });
  const outbound = { messageId: msg.id, clientId: ch.clientId, channelAccountId: ch.id, conversationId: conv.id, contactId: conv.contact_id, to: [], text: msg.text, attachments: [] };
  const ref = { id: ch.id, clientId: ch.clientId, kind: ch.kind };
  const first = await app.ctx.channels.send(ref, outbound);
  const second = await app.ctx.channels.send(ref, outbound); // e.g. a retry after a crash before the job was marked done
  assert.equal(first, second);
  const rows = await app.ctx.db.selectFrom('sandbox_deliveries').selectAll().execute();
  assert.is(rows.length, 1);
  assert.is(rows[0].calls, 2);
  const page = await (await app.request(pathOf(signedCustomerUrl(app.ctx.publicUrl(), app.ctx.vault, ch, 'zed')!), { jar: new CookieJar() })).text();
  assert.is(page.split('Once only').length - 1, 1);
});

test('another customer\'s chat opens only with a signed link: a bare or forged ?customer= shows a fresh chat, and a forged cookie too', async ({ app, ch, base }) => {
  await postJson(app, `${base}/messages`, { text: 'My order number is 4711', customer: 'crm-42' });
  const sees = async (path: string, jar = new CookieJar()) => (await (await app.request(path, { jar })).text()).includes('My order number is 4711');
  assert.not.ok(await sees(`${base}?customer=crm-42`), 'a guessed id alone opens nothing');
  assert.not.ok(await sees(`${base}?customer=crm-42&sig=${'A'.repeat(43)}`), 'nor a made-up signature');
  const other = signedCustomerUrl(app.ctx.publicUrl(), app.ctx.vault, ch, 'crm-41')!.split('sig=')[1];
  assert.not.ok(await sees(`${base}?customer=crm-42&sig=${other}`), 'nor another customer\'s signature');
  const forged = new CookieJar();
  forged.cookies.set('habar_customer', 'crm-42');
  assert.not.ok(await sees(base, forged), 'nor a cookie set by hand');
  // The signed link (as the inbox shows it) opens it, and this browser then keeps that customer.
  const jar = new CookieJar();
  assert.ok(await sees(pathOf(signedCustomerUrl(app.ctx.publicUrl(), app.ctx.vault, ch, 'crm-42')!), jar));
  assert.ok(await sees(base, jar), 'the browser\'s cookie keeps it');
  // The page's own id for a browser keeps working through its cookie.
  const own = new CookieJar();
  await app.request(base, { jar: own });
  await app.request(`${base}/messages`, { method: 'POST', jar: own, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ text: 'from my own browser' }) });
  assert.match(await (await app.request(base, { jar: own })).text(), /from my own browser/);
});

test('behind a TLS-terminating proxy (--trust-proxy, X-Forwarded-Proto: https) the customer cookie is Secure', async () => {
  const app = await makeTestApp({ flags: { 'trust-proxy': 'true' } });
  try {
    const ch = await quietSandbox(app);
    const res = await app.request(`/c/${ch.publicToken}`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(res.headers.getSetCookie().find((l) => l.startsWith('habar_customer='))!, /; Secure/i);
    const plain = await app.request(`/c/${ch.publicToken}`);
    assert.not.match(plain.headers.getSetCookie().find((l) => l.startsWith('habar_customer='))!, /; Secure/i);
  } finally {
    await app.cleanup();
  }
});

test.run();
