import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant, type Api } from '../../../testing/api-client.ts';
import { PairedPhone } from '../../../testing/paired-phone.ts';
import { customerSays } from '../../../testing/messaging-fixtures.ts';
import { CHANNEL_DRIVERS } from '../../../channels/index.ts';

// The WhatsApp contract of /api/v1/channels, with a stand-in phone in place of the WhatsApp
// adapter (same kind name): create, poll the QR code, pair by code, reconnect, log out, delete.

interface Ctx { app: TestApp; phone: PairedPhone; api: Api; other: Api }
const test = suite<Ctx>('channels API: pairing a WhatsApp number');

test.before.each(async (ctx) => {
  ctx.phone = new PairedPhone('whatsapp');
  ctx.app = await makeTestApp({ channelDrivers: [...CHANNEL_DRIVERS, ctx.phone.driver] });
  await ctx.app.ctx.channels.start(); // the channels worker (off in tests)
  ctx.api = (await buildApiTenant(ctx.app, 'bakery')).api;
  ctx.other = (await buildApiTenant(ctx.app, 'florist')).api;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('a new WhatsApp channel answers 201 connecting, then shows the rotating QR code, then the paired number', async ({ api, phone }) => {
  const created = await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' });
  assert.is(created.status, 201);
  assert.is(created.body.kind, 'whatsapp');
  assert.ok(['connecting', 'qr'].includes(created.body.status));
  assert.is(created.body.phone, null);
  const id = created.body.id as string;
  let got = await api('GET', `/api/v1/channels/${id}`);
  assert.equal([got.status, got.body.status], [200, 'qr']);
  assert.match(got.body.qr, /^2@handset-qr-1,/);
  assert.ok(got.body.status_at);
  const next = phone.rotate();
  got = await api('GET', `/api/v1/channels/${id}`);
  assert.is(got.body.qr, next);
  await phone.scanned('+77011234567', 'Cake Shop');
  got = await api('GET', `/api/v1/channels/${id}`);
  assert.equal([got.body.status, got.body.qr, got.body.phone, got.body.profile_name], ['connected', null, '+77011234567', 'Cake Shop']);
});

test('a pairing code for a phone number: 8 characters; a wrong number is 400 invalid_phone; once connected 409', async ({ api, phone }) => {
  const id = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' })).body.id;
  phone.code = 'WXYZ-9876';
  const ok = await api('POST', `/api/v1/channels/${id}/pairing-code`, { phone: '+7 701 123 45 67' });
  assert.equal([ok.status, ok.body], [200, { code: 'WXYZ9876' }]);
  assert.ok(phone.calls.includes('pairing-code:+77011234567'), 'the adapter got the number in E.164');
  for (const bad of ['87011234567', '12345', 'call me']) {
    const r = await api('POST', `/api/v1/channels/${id}/pairing-code`, { phone: bad });
    assert.equal([r.status, r.body.error.code, r.body.error.field], [400, 'invalid_phone', 'phone'], bad);
  }
  await phone.scanned('+77011234567', 'Cake Shop');
  const again = await api('POST', `/api/v1/channels/${id}/pairing-code`, { phone: '+77011234567' });
  assert.equal([again.status, again.body.error.code], [409, 'already_connected']);
});

test('logout answers 202 and the channel is logged_out; connect answers 202 and pairing starts again', async ({ api, phone }) => {
  const id = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' })).body.id;
  await phone.scanned('+77011234567', 'Cake Shop');
  const out = await api('POST', `/api/v1/channels/${id}/logout`);
  assert.equal([out.status, out.body.status], [202, 'logged_out']);
  assert.is((await api('GET', `/api/v1/channels/${id}`)).body.status, 'logged_out');
  const again = await api('POST', `/api/v1/channels/${id}/connect`);
  assert.is(again.status, 202);
  assert.equal([again.body.status, typeof again.body.qr], ['qr', 'string']);
  assert.equal(phone.calls.slice(-2), ['logout', 'reconnect']);
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

test('DELETE logs out, deletes the keys and hides the channel; its conversations stay; ?purge=true deletes them too', async ({ app, api, phone }) => {
  const id = (await api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop phone' })).body.id;
  await phone.scanned('+77011234567', 'Cake Shop');
  const conv = await customerSays(app, id, 'x', 'hello'); // not a phone identity, but any message will do
  const del = await api('DELETE', `/api/v1/channels/${id}`);
  assert.is(del.status, 204);
  assert.ok(phone.calls.includes('logout'));
  assert.equal(phone.keysDeleted, [id]);
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
