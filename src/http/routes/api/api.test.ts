import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { apiClient, buildApiTenant } from '../../../testing/api-client.ts';
import { revokeApiKey } from '../../../auth/index.ts';
import { MAX_TEXT_LENGTH } from '../../../messaging/index.ts';
import type { ManualClock } from '../../../lib/clock.ts';

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant }>('REST API /api/v1');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('a call without a key, with an unknown key or with a revoked key gets 401 JSON; a live key works and its last use shows', async ({ app, t }) => {
  const none = await apiClient(app, undefined)('GET', '/api/v1/conversations');
  assert.is(none.status, 401);
  assert.is(none.body.error.code, 'unauthorized');
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.is((await apiClient(app, 'hbr_not-a-real-key')('GET', '/api/v1/conversations')).body.error.code, 'invalid_api_key');
  const ok = await t.api('GET', '/api/v1/conversations');
  assert.is(ok.status, 200);
  const keys = await t.api('GET', '/api/v1/api-keys');
  assert.ok(keys.body.data[0].last_used_at, 'last use recorded');
  assert.not.ok(JSON.stringify(keys.body).includes(t.key), 'the key itself is never shown again');
  await revokeApiKey(app.ctx.db, app.ctx.clock, t.client.id, t.apiKey.id, { id: null, label: 'test' });
  const revoked = await t.api('GET', '/api/v1/conversations');
  assert.is(revoked.status, 401);
  assert.is(revoked.body.error.code, 'invalid_api_key');
});

test('an API key cannot create more API keys: there is no such route, and no key is made', async ({ app, t }) => {
  const res = await t.api('POST', '/api/v1/api-keys', { label: 'minted by a leaked key' });
  assert.ok([404, 405].includes(res.status), `status ${res.status}`);
  const keys = await app.ctx.db.selectFrom('api_keys').select('id').where('client_id', '=', t.client.id).execute();
  assert.is(keys.length, 1);
});

test('every authenticated call appends an api_call usage event for its client', async ({ app, t }) => {
  await t.api('GET', '/api/v1/channels');
  await t.api('GET', '/api/v1/conversations/nope');
  const rows = await app.ctx.db.selectFrom('usage_events').selectAll().where('client_id', '=', t.client.id).where('kind', '=', 'api_call').execute();
  assert.is(rows.length, 2);
  assert.equal(rows.map((r) => JSON.parse(r.meta).status).sort(), [200, 404]);
});

test('channels list the sandbox with its absolute customer_url', async ({ app, t }) => {
  const res = await t.api('GET', '/api/v1/channels');
  assert.is(res.body.data.length, 1);
  const ch = res.body.data[0];
  assert.equal({ id: ch.id, kind: ch.kind, status: ch.status }, { id: t.channel.id, kind: 'sandbox', status: 'connected' });
  assert.ok(ch.customer_url.startsWith(`${app.ctx.publicUrl()}/c/`));
});

test('starting a conversation and sending into it queue messages that the outbox sends', async ({ app, t }) => {
  const started = await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'customer-42', text: 'Здравствуйте!', name: 'Aliya' });
  assert.is(started.status, 201);
  const { conversation, contact, message } = started.body;
  assert.is(conversation.channel_id, t.channel.id);
  assert.is(contact.name, 'Aliya');
  assert.is(message.status, 'queued');
  assert.is(message.text, 'Здравствуйте!');
  const sent = await t.api('POST', `/api/v1/conversations/${conversation.id}/messages`, { text: 'Second' });
  assert.is(sent.status, 201);
  await app.ctx.jobs.drain();
  const one = await t.api('GET', `/api/v1/messages/${sent.body.id}`);
  assert.is(one.body.status, 'sent');
  const got = await t.api('GET', `/api/v1/conversations/${conversation.id}`);
  assert.is(got.body.ai_state, 'active');
  const again = await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'customer-42', text: 'Third' });
  assert.is(again.body.conversation.id, conversation.id, 'the same contact continues the same conversation');
});

test('lists page newest first with cursors, next_cursor null at the end, and filters', async ({ app, t }) => {
  const clock = app.clock as ManualClock;
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    clock.advance(1000);
    ids.push((await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: `c${i}`, text: `hi ${i}` })).body.conversation.id);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: { body: { data: Array<{ id: string }>; next_cursor: string | null } } = await t.api('GET', `/api/v1/conversations?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    seen.push(...res.body.data.map((c) => c.id));
    cursor = res.body.next_cursor;
    pages++;
  } while (cursor && pages < 10);
  assert.equal(seen, [...ids].reverse(), 'every conversation once, newest activity first');
  assert.is(pages, 3);
  await t.api('PATCH', `/api/v1/conversations/${ids[0]}`, { status: 'resolved' });
  const resolved = await t.api('GET', '/api/v1/conversations?status=resolved');
  assert.equal(resolved.body.data.map((c: { id: string }) => c.id), [ids[0]]);
  assert.is((await t.api('GET', `/api/v1/conversations?channel_id=${t.channel.id}`)).body.data.length, 5);
  assert.is((await t.api('GET', '/api/v1/conversations?channel_id=other')).body.data.length, 0);

  const conv = ids[4];
  for (let i = 0; i < 3; i++) await t.api('POST', `/api/v1/conversations/${conv}/messages`, { text: `m${i}` });
  const p1 = await t.api('GET', `/api/v1/conversations/${conv}/messages?limit=3`);
  assert.equal(p1.body.data.map((m: { text: string }) => m.text), ['m2', 'm1', 'm0']);
  const p2 = await t.api('GET', `/api/v1/conversations/${conv}/messages?limit=3&cursor=${p1.body.next_cursor}`);
  assert.equal(p2.body.data.map((m: { text: string }) => m.text), ['hi 4']);
  assert.is(p2.body.next_cursor, null);
});

test('a customer message shows in the list; updating the contact changes only the fields present', async ({ t }) => {
  await t.customerSays('Есть доставка?', 'cust-7');
  const list = await t.api('GET', '/api/v1/conversations');
  const contactId = list.body.data[0].contact_id;
  const msgs = await t.api('GET', `/api/v1/conversations/${list.body.data[0].id}/messages`);
  assert.equal([msgs.body.data[0].text, msgs.body.data[0].direction, msgs.body.data[0].author], ['Есть доставка?', 'in', 'contact']);
  const patched = await t.api('PATCH', `/api/v1/contacts/${contactId}`, { name: 'Dana', tags: ['vip', 'almaty'] });
  assert.is(patched.status, 200);
  const p2 = await t.api('PATCH', `/api/v1/contacts/${contactId}`, { phone: '+7 701 234 56 78' });
  assert.equal([p2.body.name, p2.body.tags, p2.body.phone], ['Dana', ['vip', 'almaty'], '+77012345678']);
  const bad = await t.api('PATCH', `/api/v1/contacts/${contactId}`, { phone: 'call me' });
  assert.is(bad.status, 400);
  assert.is(bad.body.error.field, 'phone');
  assert.is((await t.api('GET', `/api/v1/contacts/${contactId}`)).body.phone, '+77012345678', 'a refused change stores nothing');
});

test('bad input gets clear 4xx errors and stores nothing', async ({ app, t }) => {
  const conv = (await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'x', text: 'hi' })).body.conversation.id;
  const path = `/api/v1/conversations/${conv}/messages`;
  const count = async () => Number((await app.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const before = await count();
  const cases: Array<[unknown, number, string, string?]> = [
    ['{"text": "unterminated', 400, 'invalid_json'],
    [{ text: 'hi', colour: 'red' }, 400, 'unknown_field', 'colour'],
    [{ text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }, 400, 'too_long', 'text'],
    [{ text: 42 }, 400, 'invalid_field', 'text'],
    [{}, 400, 'missing_field', 'text'],
    [{ text: '   ' }, 400, 'empty_message', 'text'],
    [{ text: 'hi', attachment_ids: ['nope'] }, 400, 'invalid_attachment', 'attachment_ids'],
  ];
  for (const [body, status, code, field] of cases) {
    const res = await t.api('POST', path, body);
    assert.is(res.status, status, JSON.stringify(res.body));
    assert.is(res.body.error.code, code);
    assert.is(res.body.error.field, field);
    assert.type(res.body.error.message, 'string');
  }
  const huge = await t.api('POST', path, { text: 'x'.repeat(2 * 1024 * 1024) });
  assert.is(huge.status, 413);
  assert.is((await t.api('POST', path, 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' })).body.error.code, 'invalid_json');
  assert.is((await t.api('GET', '/api/v1/conversations?limit=500')).body.error.field, 'limit');
  assert.is((await t.api('GET', '/api/v1/conversations?cursor=garbage')).status, 400);
  assert.is((await t.api('GET', '/api/v1/conversations?sort=asc')).body.error.code, 'unknown_field');
  for (const p of ['/api/v1/conversations/01unknown0000000000000000', '/api/v1/contacts/nope', '/api/v1/messages/nope', '/api/v1/webhooks/nope', '/api/v1/settings/nope', '/api/v1/nothing-here']) {
    const res = await t.api('GET', p);
    assert.is(res.status, 404, p);
    assert.is(res.body.error.code, 'not_found');
  }
  assert.is((await t.api('POST', '/api/v1/conversations', { channel_id: 'nope', to: 'x', text: 'hi' })).status, 404);
  assert.is(await count(), before);
});

test('an uploaded file can be attached to a message and downloaded again', async ({ t }) => {
  const conv = (await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'x', text: 'hi' })).body.conversation.id;
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4 price list')], { type: 'application/pdf' }), 'prices.pdf');
  const up = await t.api('POST', '/api/v1/attachments', form);
  assert.is(up.status, 201);
  assert.equal([up.body.name, up.body.mime, up.body.size], ['prices.pdf', 'application/pdf', 19]);
  const sent = await t.api('POST', `/api/v1/conversations/${conv}/messages`, { text: '', attachment_ids: [up.body.id] });
  assert.is(sent.status, 201);
  assert.is(sent.body.attachments[0].id, up.body.id);
  const again = await t.api('POST', `/api/v1/conversations/${conv}/messages`, { text: 'x', attachment_ids: [up.body.id] });
  assert.is(again.body.error.code, 'invalid_attachment', 'a file goes on one message');
  const down = await t.api('GET', `/api/v1/attachments/${up.body.id}`);
  assert.is(down.status, 200);
  assert.is(down.headers.get('content-type'), 'application/pdf');
  assert.is(down.body, '%PDF-1.4 price list');
});

test('settings areas: GET reads, PUT changes only the fields present, unknown fields and bad values are refused', async ({ t }) => {
  const areas = await t.api('GET', '/api/v1/settings');
  assert.ok(areas.body.data.some((a: { area: string }) => a.area === 'general'));
  assert.is((await t.api('GET', '/api/v1/settings/general')).body.timezone, 'Asia/Almaty');
  const put = await t.api('PUT', '/api/v1/settings/general', { timezone: 'Asia/Aqtobe' });
  assert.equal(put.body, { timezone: 'Asia/Aqtobe' });
  const bad = await t.api('PUT', '/api/v1/settings/general', { timezone: 'Mars/Olympus' });
  assert.is(bad.status, 400);
  assert.is(bad.body.error.field, 'timezone');
  const unknown = await t.api('PUT', '/api/v1/settings/general', { colour: 'red' });
  assert.equal([unknown.status, unknown.body.error.code, unknown.body.error.field], [400, 'unknown_field', 'colour']);
  assert.is((await t.api('GET', '/api/v1/settings/general')).body.timezone, 'Asia/Aqtobe');
  const auto = areas.body.data.find((a: { area: string }) => a.area === 'auto-reply');
  if (auto) {
    const boolField = auto.fields.find((f: { type: string }) => f.type === 'boolean')?.name;
    const textField = auto.fields.find((f: { type: string }) => f.type === 'string')?.name;
    await t.api('PUT', '/api/v1/settings/auto-reply', { [boolField]: true, [textField]: 'Мы ответим утром' });
    const wrongType = await t.api('PUT', '/api/v1/settings/auto-reply', { [boolField]: 'maybe', [textField]: 'changed?' });
    assert.is(wrongType.status, 400);
    const read = (await t.api('GET', '/api/v1/settings/auto-reply')).body;
    assert.equal([read[boolField], read[textField]], [true, 'Мы ответим утром'], 'all or nothing');
    await t.api('PUT', '/api/v1/settings/auto-reply', { [textField]: null });
    const cleared = (await t.api('GET', '/api/v1/settings/auto-reply')).body;
    assert.equal([cleared[boolField], cleared[textField]], [true, null], 'null clears one field, the others stay');
  }
});

test.run();
