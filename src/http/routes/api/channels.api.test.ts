import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant, type Api } from '../../../testing/api-client.ts';
import { FakeWaNetwork, ManualTimers, waitFor } from '../../../testing/fake-wa-socket.ts';
import { customerSays } from '../../../testing/messaging-fixtures.ts';
import { CHANNEL_DRIVERS } from '../../../channels/index.ts';
import { makeWhatsappDriver } from '../../../channels/whatsapp/index.ts';

// The WhatsApp contract of /api/v1/channels, through the real WhatsApp adapter with Baileys'
// socket replaced: create, poll the QR code, pair by code, reconnect, log out, delete.

interface Ctx { app: TestApp; net: FakeWaNetwork; api: Api; other: Api }
const test = suite<Ctx>('channels API: pairing a WhatsApp number');

const statusIs = async (api: Api, id: string, status: string) =>
  waitFor(`status ${status}`, async () => (await api('GET', `/api/v1/channels/${id}`)).body.status === status);
const authRows = (app: TestApp, id: string) => app.ctx.db.selectFrom('whatsapp_auth_keys').select('type').where('channel_account_id', '=', id).execute();

test.before.each(async (ctx) => {
  ctx.net = new FakeWaNetwork();
  const driver = makeWhatsappDriver({ sockets: ctx.net.factory, timers: new ManualTimers() });
  ctx.app = await makeTestApp({ channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  await ctx.app.ctx.channels.start(); // the channels worker (off in tests)
  ctx.api = (await buildApiTenant(ctx.app, 'bakery')).api;
  ctx.other = (await buildApiTenant(ctx.app, 'florist')).api;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('a new WhatsApp channel answers 201 connecting, then shows the rotating QR code, then the paired number', async ({ api, net }) => {
  const created = await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' });
  assert.is(created.status, 201);
  assert.is(created.body.kind, 'whatsapp');
  assert.ok(['connecting', 'qr'].includes(created.body.status));
  assert.is(created.body.phone, null);
  const id = created.body.id as string;
  await net.socket(1);
  net.showQr('2@first-ref,abc');
  await statusIs(api, id, 'qr');
  let got = await api('GET', `/api/v1/channels/${id}`);
  assert.equal([got.status, got.body.status, got.body.qr], [200, 'qr', '2@first-ref,abc']);
  assert.ok(got.body.status_at);
  net.showQr('2@second-ref,abc');
  await waitFor('the new QR code', async () => (await api('GET', `/api/v1/channels/${id}`)).body.qr === '2@second-ref,abc');
  net.scanned('+77011234567', 'Cake Shop');
  await statusIs(api, id, 'connected');
  got = await api('GET', `/api/v1/channels/${id}`);
  assert.equal([got.body.status, got.body.qr, got.body.phone, got.body.profile_name], ['connected', null, '+77011234567', 'Cake Shop']);
});

test('a pairing code for a phone number: 8 characters; a wrong number is 400 invalid_phone; once connected 409', async ({ api, net }) => {
  const id = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' })).body.id;
  const sock = await net.socket(1);
  net.showQr('2@first-ref,abc'); // WhatsApp takes a pairing-code request once the socket is up
  sock.pairingCode = 'WXYZ-9876';
  const ok = await api('POST', `/api/v1/channels/${id}/pairing-code`, { phone: '+7 701 123 45 67' });
  assert.equal([ok.status, ok.body], [200, { code: 'WXYZ9876' }]);
  assert.equal(sock.pairingRequests, ['77011234567'], 'WhatsApp got the number, digits only');
  for (const bad of ['87011234567', '12345', 'call me']) {
    const r = await api('POST', `/api/v1/channels/${id}/pairing-code`, { phone: bad });
    assert.equal([r.status, r.body.error.code, r.body.error.field], [400, 'invalid_phone', 'phone'], bad);
  }
  net.scanned('+77011234567', 'Cake Shop');
  await statusIs(api, id, 'connected');
  const again = await api('POST', `/api/v1/channels/${id}/pairing-code`, { phone: '+77011234567' });
  assert.equal([again.status, again.body.error.code], [409, 'already_connected']);
});

test('logout answers 202 and the channel is logged_out; connect answers 202 and pairing starts again', async ({ app, api, net }) => {
  const id = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' })).body.id;
  const first = await net.socket(1);
  net.scanned('+77011234567', 'Cake Shop');
  await statusIs(api, id, 'connected');
  const out = await api('POST', `/api/v1/channels/${id}/logout`);
  assert.equal([out.status, out.body.status], [202, 'logged_out']);
  assert.is((await api('GET', `/api/v1/channels/${id}`)).body.status, 'logged_out');
  assert.equal([first.loggedOut, first.ended], [true, true], 'the device was logged out on WhatsApp');
  assert.equal(await authRows(app, id), [], 'its keys are gone');
  const again = await api('POST', `/api/v1/channels/${id}/connect`);
  assert.is(again.status, 202);
  await net.socket(2);
  net.showQr('2@new-ref,abc');
  await statusIs(api, id, 'qr');
  assert.is((await api('GET', `/api/v1/channels/${id}`)).body.qr, '2@new-ref,abc', 'pairing starts again');
});

test('a sandbox channel has no phone to pair: 409 not_supported; deleted, its customer page is gone', async ({ app, api }) => {
  const sandbox = (await api('GET', '/api/v1/channels')).body.data[0];
  assert.is(sandbox.kind, 'sandbox');
  const r = await api('POST', `/api/v1/channels/${sandbox.id}/logout`);
  assert.equal([r.status, r.body.error.code], [409, 'not_supported']);
  const page = new URL(sandbox.customer_url).pathname;
  assert.is((await app.request(page)).status, 200);
  assert.is((await api('DELETE', `/api/v1/channels/${sandbox.id}`)).status, 204);
  assert.is((await app.request(page)).status, 404);
});

test('DELETE logs out, deletes the keys and hides the channel; its conversations stay; ?purge=true deletes them too', async ({ app, api, net }) => {
  const id = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' })).body.id;
  const sock = await net.socket(1);
  net.scanned('+77011234567', 'Cake Shop');
  await statusIs(api, id, 'connected');
  await waitFor('the keys saved', async () => (await authRows(app, id)).length > 0);
  const conv = await customerSays(app, id, 'x', 'hello'); // not a phone identity, but any message will do
  const del = await api('DELETE', `/api/v1/channels/${id}`);
  assert.is(del.status, 204);
  assert.ok(sock.loggedOut, 'the device was logged out on WhatsApp');
  assert.equal(await authRows(app, id), [], 'its keys are gone');
  assert.is((await api('GET', `/api/v1/channels/${id}`)).status, 404);
  assert.not.ok((await api('GET', '/api/v1/channels')).body.data.some((c: { id: string }) => c.id === id));
  const kept = await api('GET', `/api/v1/conversations/${conv.conversationId}/messages`);
  assert.equal([kept.status, kept.body.data.map((m: { text: string }) => m.text)], [200, ['hello']], 'the conversation stays readable');
  assert.is((await api('DELETE', `/api/v1/channels/${id}`)).status, 204, 'idempotent');
  assert.is((await api('DELETE', '/api/v1/channels/01aaaaaaaaaaaaaaaaaaaaaaaa')).status, 404, 'an id never had');
  const start = await api('POST', '/api/v1/conversations', { channel_id: id, to: '+77017654321', text: 'Hello again' });
  assert.is(start.status, 404, 'nothing new starts on a deleted channel');

  const id2 = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Second phone' })).body.id;
  const conv2 = await customerSays(app, id2, 'y', 'hi');
  assert.is((await api('DELETE', `/api/v1/channels/${id2}?purge=true`)).status, 204);
  assert.is((await api('GET', `/api/v1/conversations/${conv2.conversationId}`)).status, 404);
  assert.is(await app.ctx.db.selectFrom('channel_accounts').select('id').where('id', '=', id2).executeTakeFirst(), undefined);
  const audit = await app.ctx.db.selectFrom('audit_log').select('action').where('target_id', 'in', [id, id2]).execute();
  assert.ok(audit.some((a) => a.action === 'channel.deleted') && audit.some((a) => a.action === 'channel.purged'));
});

test("another client's channel is not found, whatever the call", async ({ api, other }) => {
  const id = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' })).body.id;
  for (const [m, p, body] of [['GET', ''], ['POST', '/connect'], ['POST', '/logout'], ['POST', '/pairing-code', { phone: '+77011234567' }], ['DELETE', '']] as const) {
    assert.is((await other(m, `/api/v1/channels/${id}${p}`, body)).status, 404, `${m} ${p}`);
  }
  assert.is((await api('GET', `/api/v1/channels/${id}`)).status, 200, 'still there');
});

test.run();
