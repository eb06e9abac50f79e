import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { FakeWaNetwork, ManualTimers, closeError, waitFor } from '../../testing/fake-wa-socket.ts';
import { startSmtpStandIn, mailText } from '../../testing/smtp-stand-in.ts';
import { customerSays } from '../../testing/messaging-fixtures.ts';
import { CHANNEL_DRIVERS, findChannelAccount, listChannelAccounts } from '../../channels/index.ts';
import { makeWhatsappDriver } from '../../channels/whatsapp/index.ts';
import { setSetting } from '../../settings/index.ts';
import { sendMessage } from '../../messaging/index.ts';
import { findUserByEmail, updateUser } from '../../auth/index.ts';
import { DEMO_SLUG, findClient, type Client } from '../../tenants/index.ts';
import { translator } from '../../../views/i18n/index.ts';

// A WhatsApp number on the channels screen, through the real WhatsApp adapter with Baileys'
// socket replaced: add it, watch the QR code, pair by code, see it connected; a logout on the phone
// shows the owner a banner (and an audit entry, and an e-mail); the buttons need the right role.

interface Ctx { app: TestApp; net: FakeWaNetwork; demo: Client; owner: CookieJar; ownerEmail: string; agent: CookieJar; outsider: CookieJar }
const test = suite<Ctx>('channels screen: a WhatsApp number');
const t = translator('ru');
const PAGE = `/clients/${DEMO_SLUG}/channels`;

test.before.each(async (ctx) => {
  ctx.net = new FakeWaNetwork();
  const driver = makeWhatsappDriver({ sockets: ctx.net.factory, timers: new ManualTimers(), random: () => 1, typing: { msPerChar: 0, minMs: 0, maxMs: 0 } });
  ctx.app = await makeTestApp({ channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  await ctx.app.ctx.channels.start(); // the channels worker (off in tests)
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  ctx.ownerEmail = (await buildUser(ctx.app, 'owner', ctx.demo.id)).email;
  ctx.owner = await loginAs(ctx.app, ctx.ownerEmail, TEST_PASSWORD);
  ctx.agent = await loginAs(ctx.app, (await buildUser(ctx.app, 'agent', ctx.demo.id)).email, TEST_PASSWORD);
  ctx.outsider = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', (await buildClient(ctx.app)).id)).email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

/** The owner adds a WhatsApp number on the channels page and WhatsApp shows a QR code; returns its page's path. */
async function addNumber(ctx: Ctx, name = 'Магазин'): Promise<string> {
  const csrf = csrfFrom(await (await ctx.app.request(PAGE, { jar: ctx.owner })).text());
  const before = ctx.net.sockets.length;
  const res = await postForm(ctx.app, ctx.owner, `${PAGE}/whatsapp`, { name }, csrf);
  assert.is(res.status, 303);
  const page = res.headers.get('location')!.replace(/\?.*$/, '');
  await ctx.net.socket(before + 1);
  await showQr(ctx, page.split('/').pop()!, '2@first-ref,abc');
  return page;
}

const statusOf = async (ctx: Ctx, id: string) => (await findChannelAccount(ctx.app.ctx.db, id))!.status;
const statusIs = (ctx: Ctx, id: string, status: string) => waitFor(`status ${status}`, async () => (await statusOf(ctx, id)) === status);
const authRows = (ctx: Ctx, id: string) => ctx.app.ctx.db.selectFrom('whatsapp_auth_keys').select('type').where('channel_account_id', '=', id).execute();

/** WhatsApp shows a QR code on the number's current socket. */
async function showQr(ctx: Ctx, id: string, qr: string): Promise<void> {
  ctx.net.showQr(qr);
  await statusIs(ctx, id, 'qr');
}

/** The phone scanned the code: connected as +77011234567, "Cake Shop". */
async function scanned(ctx: Ctx, id: string): Promise<void> {
  ctx.net.scanned('+77011234567', 'Cake Shop');
  await statusIs(ctx, id, 'connected');
}

const idOf = (page: string) => page.split('/').pop()!;

const qrImage = (html: string) => /<img src="(data:image\/svg\+xml;base64,[^"]+)"/.exec(html)?.[1];

test('the owner adds a number: the QR code shows, follows each rotation, and then the page shows the number and profile', async (ctx) => {
  const { app, owner } = ctx;
  const page = await addNumber(ctx);
  assert.match(page, new RegExp(`^${PAGE}/[0-9a-z]{26}$`));
  const html = await (await app.request(page, { jar: owner })).text();
  assert.match(html, t('channel.status.qr'));
  assert.match(html, t('channels.warmup.title'));
  const first = qrImage(html);
  assert.ok(first, 'a QR code image drawn on the server');
  assert.match(html, /hx-get="[^"]+\?part=pairing" hx-trigger="every 2s"/);
  ctx.net.showQr('2@second-ref,abc');
  await waitFor('the rotation', () => app.ctx.channels.pairing(idOf(page))?.value === '2@second-ref,abc');
  const fragment = await (await app.request(`${page}?part=pairing`, { jar: owner })).text();
  assert.not.match(fragment, '<html');
  assert.ok(qrImage(fragment) && qrImage(fragment) !== first, 'the new code, not the old one');
  await scanned(ctx, idOf(page));
  const done = await (await app.request(`${page}?part=pairing`, { jar: owner })).text();
  assert.is(qrImage(done), undefined);
  assert.match(done, t('channels.pair.connected', { phone: '+77011234567', name: 'Cake Shop' }));
  assert.match(done, 'every 15s');
  const list = await (await app.request(PAGE, { jar: owner })).text();
  assert.match(list, '+77011234567');
});

test('a pairing code for a typed number; a wrong number is a form error and asks the phone nothing', async (ctx) => {
  const { app, owner, net } = ctx;
  const page = await addNumber(ctx);
  const csrf = csrfFrom(await (await app.request(page, { jar: owner })).text());
  const bad = await postForm(app, owner, `${page}/pairing-code`, { phone: '8701' }, csrf);
  assert.is(bad.status, 422);
  assert.match(await bad.text(), t('validation.invalid_phone'));
  assert.equal(net.current.pairingRequests, []);
  const ok = await postForm(app, owner, `${page}/pairing-code`, { phone: '+7 (701) 123-45-67' }, csrf);
  assert.is(ok.status, 200);
  assert.match(await ok.text(), '<span class="pairing-code">ABCD1234</span>');
  assert.equal(net.current.pairingRequests, ['77011234567']);
});

test('logged out on the phone: the owner sees "logged out — scan again" on the client’s pages, an audit entry and an e-mail', async (ctx) => {
  const { app, owner, agent, net } = ctx;
  const smtp = await startSmtpStandIn();
  try {
    const set = (k: string, v: string) => setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, k, v);
    await set('smtp.host', '127.0.0.1');
    await set('smtp.port', String(smtp.port));
    await set('smtp.from', 'Habar <noreply@example.kz>');
    const englishOwner = (await buildUser(app, 'owner', ctx.demo.id)).email;
    const user = (await findUserByEmail(app.ctx.db, englishOwner))!;
    await updateUser(app.ctx.db, app.ctx.clock, user.id, { language: 'en' });
    const page = await addNumber(ctx, 'Магазин на Абая');
    await scanned(ctx, idOf(page));
    assert.not.match(await (await app.request(`/clients/${DEMO_SLUG}/inbox`, { jar: owner })).text(), 'id="channel-alerts"');
    net.loggedOutOnPhone();
    await statusIs(ctx, idOf(page), 'logged_out');
    assert.equal(await authRows(ctx, idOf(page)), [], 'its keys are gone');
    const inbox = await (await app.request(`/clients/${DEMO_SLUG}/inbox`, { jar: owner })).text();
    assert.match(inbox, 'id="channel-alerts"');
    assert.match(inbox, t('channels.alert.logged_out'));
    assert.match(inbox, `href="${page}"`);
    assert.not.match(await (await app.request(`/clients/${DEMO_SLUG}/inbox`, { jar: agent })).text(), 'id="channel-alerts"', 'the owner’s banner');
    const audit = await app.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'channel.attention_needed').execute();
    assert.is(audit.length, 1);
    assert.match(audit[0].details, '"status":"logged_out"');
    await app.ctx.jobs.drain();
    // Each owner reads it in the language they chose (the first owner kept the default, Russian).
    const mail = mailText(await smtp.waitFor(ctx.ownerEmail));
    assert.match(mail, 'Магазин на Абая');
    assert.match(mail, 'отключён на телефоне');
    const english = mailText(await smtp.waitFor(englishOwner));
    assert.match(english, 'was logged out on the phone');
    assert.not.match(english, 'отключён');
    // Paired again: the banner is gone.
    const csrf = csrfFrom(await (await app.request(page, { jar: owner })).text());
    assert.is((await postForm(app, owner, `${page}/connect`, {}, csrf)).status, 303);
    await net.socket(2);
    await scanned(ctx, idOf(page));
    assert.not.match(await (await app.request(PAGE, { jar: owner })).text(), 'id="channel-alerts"');
  } finally {
    await smtp.close();
  }
});

test('an expired QR code and a reconnect that cannot happen by itself get the banner and the audit entry too', async (ctx) => {
  const { app, owner, net } = ctx;
  const page = await addNumber(ctx);
  for (let i = 2; i <= 7; i++) net.showQr(`2@ref-${i},abc`); // nobody scanned: WhatsApp stops after a few codes
  await statusIs(ctx, idOf(page), 'qr_expired');
  let html = await (await app.request(page, { jar: owner })).text();
  assert.match(html, t('channels.alert.qr_expired'));
  const csrf = csrfFrom(html);
  assert.is((await postForm(app, owner, `${page}/connect`, {}, csrf)).status, 303);
  await net.socket(2);
  await scanned(ctx, idOf(page));
  net.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(440, 'Stream Errored (conflict)'), date: new Date() } });
  await statusIs(ctx, idOf(page), 'reconnect_needed');
  html = await (await app.request(`/clients/${DEMO_SLUG}/inbox`, { jar: owner })).text();
  assert.match(html, t('channels.alert.reconnect_needed'));
  const audit = await app.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'channel.attention_needed').orderBy('id').execute();
  assert.equal(audit.map((a) => JSON.parse(a.details).status), ['qr_expired', 'reconnect_needed']);
});

test('disconnect, re-pair and delete are the owner’s buttons; an agent gets 403; another client 404; conversations stay after deletion', async (ctx) => {
  const { app, owner, agent, outsider, net } = ctx;
  const page = await addNumber(ctx);
  const id = idOf(page);
  await scanned(ctx, id);
  const agentCsrf = csrfFrom(await (await app.request(page, { jar: agent })).text());
  for (const action of ['connect', 'logout', 'delete']) {
    assert.is((await postForm(app, agent, `${page}/${action}`, {}, agentCsrf)).status, 403, action);
  }
  const outsiderCsrf = csrfFrom(await (await app.request('/', { jar: outsider })).text());
  assert.is((await app.request(page, { jar: outsider })).status, 404);
  assert.is((await postForm(app, outsider, `${page}/logout`, {}, outsiderCsrf)).status, 404);
  const csrf = csrfFrom(await (await app.request(page, { jar: owner })).text());
  assert.is((await postForm(app, owner, `${page}/logout`, {}, csrf)).status, 303);
  assert.equal((await listChannelAccounts(app.ctx.db, ctx.demo.id)).find((a) => a.id === id)?.status, 'logged_out');
  assert.ok(net.sockets[0].loggedOut, 'the device was logged out on WhatsApp');
  assert.is((await postForm(app, owner, `${page}/connect`, {}, csrf)).status, 303);
  await net.socket(2);
  await showQr(ctx, id, '2@new-ref,abc');
  await scanned(ctx, id);
  await waitFor('the keys saved', async () => (await authRows(ctx, id)).length > 0);
  const conv = await customerSays(app, id, 'x', 'Здравствуйте');
  assert.is((await postForm(app, owner, `${page}/delete`, {}, csrf)).status, 303);
  assert.equal(await authRows(ctx, id), [], 'its keys are gone');
  assert.not.match(await (await app.request(PAGE, { jar: owner })).text(), page);
  assert.is((await app.request(page, { jar: owner })).status, 404);
  const thread = await app.request(`/clients/${DEMO_SLUG}/inbox/${conv.conversationId}`, { jar: owner });
  assert.is(thread.status, 200);
  assert.match(await thread.text(), 'Здравствуйте');
});

test('in the thread, an edit shows the new text marked edited, a deletion is marked, and a read receipt shows as read', async (ctx) => {
  const { app, owner } = ctx;
  const id = idOf(await addNumber(ctx));
  await scanned(ctx, id);
  const host = app.ctx.channels.host;
  const r = await host.ingest({ channelAccountId: id, platformMessageId: 'wa-7', text: 'Два торта', from: { identities: [{ kind: 'phone', value: '+77017654321' }] } });
  const reply = await sendMessage(app.ctx, ctx.demo.id, r.conversationId, { text: 'Записали!', authorKind: 'agent' });
  await app.ctx.jobs.drain();
  const thread = async () => (await app.request(`/clients/${DEMO_SLUG}/inbox/${r.conversationId}`, { jar: owner })).text();
  await host.messageChanged(id, 'wa-7', { kind: 'edited', text: 'Три торта' });
  let html = await thread();
  assert.match(html, 'Три торта');
  assert.not.match(html, 'Два торта');
  assert.match(html, t('inbox.edited'));
  await host.messageChanged(id, 'wa-7', { kind: 'deleted' });
  const platformId = (await app.ctx.db.selectFrom('messages').select('platform_message_id').where('id', '=', reply.id).executeTakeFirstOrThrow()).platform_message_id!;
  await host.receipt(id, platformId, 'read');
  html = await thread();
  assert.match(html, t('inbox.deleted'));
  assert.match(html, `<span class="delivery delivery-read">${t('inbox.delivery.read')}</span>`);
});

test('/metrics counts connect attempts, accounts by status and messages in and out by kind', async (ctx) => {
  const { app, net } = ctx;
  const page = await addNumber(ctx);
  const id = idOf(page);
  await scanned(ctx, id);
  // A customer writes through the adapter (the host), and an agent's reply is sent to the platform.
  const r = await app.ctx.channels.host.ingest({ channelAccountId: id, platformMessageId: 'wa-1', text: 'Здравствуйте', from: { identities: [{ kind: 'phone', value: '+77017654321' }] } });
  await sendMessage(app.ctx, ctx.demo.id, r.conversationId, { text: 'Добрый день!', authorKind: 'agent' });
  await app.ctx.jobs.drain();
  assert.ok(net.current.sent.some((m) => (m.content as { text?: string }).text === 'Добрый день!'));
  const body = await (await app.request('/metrics')).text();
  assert.match(body, /# TYPE habar_channel_connect_attempts_total counter\nhabar_channel_connect_attempts_total\{kind="whatsapp"\} 1\n/);
  assert.match(body, 'habar_channel_accounts{kind="whatsapp",status="connected"} 1\n');
  assert.match(body, 'habar_channel_accounts{kind="sandbox",status="connected"} 1\n');
  assert.match(body, 'habar_channel_messages_total{kind="whatsapp",direction="in"} 1\n');
  assert.match(body, 'habar_channel_messages_total{kind="whatsapp",direction="out"} 1\n');
});

test.run();
