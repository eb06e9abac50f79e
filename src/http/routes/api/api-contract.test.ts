import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant } from '../../../testing/api-client.ts';
import { createApiKey } from '../../../auth/index.ts';
import type { ManualClock } from '../../../lib/clock.ts';

// What an integrator meets at the edges of the API: how lengths count, cursors, one error
// vocabulary, the list filters and the idempotent operations.

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant }>('REST API contract');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const start = (t: Tenant, to: string, text = 'hi', name?: string) => t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to, text, ...(name ? { name } : {}) });

test('lengths count characters as JSON Schema does: 2,049 emoji are a valid message text, so are 4,096; one more character is too_long; names too', async ({ t }) => {
  const emoji = '😀'.repeat(2049);
  const started = await start(t, 'c-1', emoji, '😀'.repeat(200));
  assert.is(started.status, 201, JSON.stringify(started.body));
  assert.is(started.body.message.text, emoji);
  assert.is(started.body.contact.name, '😀'.repeat(200));
  const conv = started.body.conversation.id;
  const full = '😀'.repeat(4096);
  assert.is((await t.api('POST', `/api/v1/conversations/${conv}/messages`, { text: full })).status, 201, '4,096 characters (8,192 UTF-16 units)');
  const over = await t.api('POST', `/api/v1/conversations/${conv}/messages`, { text: `${full}c` });
  assert.equal([over.status, over.body.error.code, over.body.error.field], [400, 'too_long', 'text']);
  const contact = started.body.contact.id;
  assert.is((await t.api('PATCH', `/api/v1/contacts/${contact}`, { name: 'Ә😀'.repeat(100) })).status, 200, '200 characters');
  const long = await t.api('PATCH', `/api/v1/contacts/${contact}`, { name: 'Ә'.repeat(201) });
  assert.equal([long.status, long.body.error.code, long.body.error.field], [400, 'too_long', 'name']);
  assert.is((await t.api('POST', '/api/v1/channels', { kind: 'sandbox', name: '😀'.repeat(100) })).status, 201, 'channel names too');
});

test('an invalid cursor answers 400 invalid_cursor on every list', async ({ t }) => {
  const conv = (await start(t, 'c-1')).body.conversation.id;
  const hook = (await t.api('POST', '/api/v1/webhooks', { url: 'https://hooks.example.kz/h', events: ['message.sent'] })).body.id;
  const forged = Buffer.from('2026-01-01T00:00:00.000Z|nope').toString('base64url');
  const lists = ['/api/v1/conversations', `/api/v1/conversations/${conv}/messages`, '/api/v1/contacts', '/api/v1/webhooks', `/api/v1/webhooks/${hook}/deliveries`, '/api/v1/api-keys'];
  for (const list of lists) {
    for (const cursor of ['garbage', '%25', forged]) {
      const res = await t.api('GET', `${list}?cursor=${cursor}`);
      assert.equal([res.status, res.body.error?.code, res.body.error?.field], [400, 'invalid_cursor', 'cursor'], `${list}?cursor=${cursor}`);
    }
  }
});

test('one error vocabulary: the same code for the same failure on every route, and error.field names the API’s own field', async ({ app, t }) => {
  const conv = (await start(t, 'c-1')).body.conversation.id;
  const tooLong = [
    await t.api('POST', `/api/v1/conversations/${conv}/messages`, { text: 'x'.repeat(4097) }),
    await t.api('PUT', '/api/v1/settings/auto-reply', { text: 'x'.repeat(5000) }),
    await t.api('PUT', '/api/v1/settings/ai', { instructions: 'x'.repeat(4001) }),
    await t.api('PUT', '/api/v1/settings/company', { name: 'x'.repeat(201) }),
  ];
  for (const res of tooLong) assert.equal([res.status, res.body.error.code], [400, 'too_long'], JSON.stringify(res.body));
  // The customer page speaks the same vocabulary.
  const page = new URL((await t.api('GET', '/api/v1/channels')).body.data[0].customer_url).pathname;
  const customer = await app.request(`${page}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(4097) }) });
  assert.is(((await customer.json()) as { error: { code: string } }).error.code, 'too_long');
  const tags = await t.api('PATCH', `/api/v1/contacts/${(await start(t, 'c-2')).body.contact.id}`, { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) });
  assert.equal([tags.body.error.code, tags.body.error.field], ['invalid_field', 'tags']);
  const item = await t.api('PUT', '/api/v1/settings/company', { contact_persons: [{ name: 'Dana' }, { name: 'Asel', role: 'x'.repeat(201) }] });
  assert.equal([item.body.error.code, item.body.error.field], ['too_long', 'contact_persons.1.role'], 'a dotted path to the item');
  const bad = await t.api('PUT', '/api/v1/settings/ai', { debounce_seconds: 121 });
  assert.equal([bad.status, bad.body.error.code, bad.body.error.field], [400, 'invalid_field', 'debounce_seconds']);
});

test('GET /api/v1/contacts searches by phone digits, name and tag, newest first, with cursors', async ({ app, t }) => {
  const clock = app.clock as ManualClock;
  const ids: string[] = [];
  for (const [to, name] of [['c-1', 'Aliya'], ['c-2', 'Dana'], ['c-3', 'Alibek']]) {
    clock.advance(1000);
    ids.push((await start(t, to, 'hi', name)).body.contact.id);
  }
  await t.api('PATCH', `/api/v1/contacts/${ids[0]}`, { phone: '+7 701 555 44 33', tags: ['vip', 'almaty'] });
  await t.api('PATCH', `/api/v1/contacts/${ids[2]}`, { tags: ['vip'] });
  const names = async (q: string) => (await t.api('GET', `/api/v1/contacts${q}`)).body.data.map((c: { name: string }) => c.name);
  assert.equal(await names(''), ['Alibek', 'Dana', 'Aliya'], 'newest first');
  assert.equal(await names('?phone=701%20555-44'), ['Aliya']);
  assert.equal(await names('?name=Ali'), ['Alibek', 'Aliya']);
  assert.equal(await names('?tag=vip'), ['Alibek', 'Aliya']);
  assert.equal(await names('?tag=vi'), [], 'a tag matches whole');
  assert.equal(await names('?tag=vip&name=Aliya'), ['Aliya']);
  const p1 = await t.api('GET', '/api/v1/contacts?limit=2');
  const p2 = await t.api('GET', `/api/v1/contacts?limit=2&cursor=${p1.body.next_cursor}`);
  assert.equal([...p1.body.data, ...p2.body.data].map((c: { id: string }) => c.id), [...ids].reverse());
  assert.is(p2.body.next_cursor, null);
});

test('GET /api/v1/conversations filters by contact_id, updated_since, status and channel_id', async ({ app, t }) => {
  const clock = app.clock as ManualClock;
  const a = (await start(t, 'c-1')).body;
  clock.advance(60_000);
  const since = clock.now().toISOString();
  const b = (await start(t, 'c-2')).body;
  const ids = async (q: string) => (await t.api('GET', `/api/v1/conversations?${q}`)).body.data.map((c: { id: string }) => c.id);
  assert.equal(await ids(`contact_id=${a.contact.id}`), [a.conversation.id]);
  assert.equal(await ids(`updated_since=${encodeURIComponent(since)}`), [b.conversation.id]);
  assert.equal(await ids(`updated_since=${encodeURIComponent(since.replace('Z', '+05:00'))}`), [b.conversation.id, a.conversation.id], 'an offset is honoured');
  clock.advance(60_000);
  await t.api('PATCH', `/api/v1/conversations/${a.conversation.id}`, { status: 'resolved' });
  assert.equal(await ids(`updated_since=${encodeURIComponent(since)}&status=resolved&channel_id=${t.channel.id}`), [a.conversation.id]);
  const bad = await t.api('GET', '/api/v1/conversations?updated_since=yesterday');
  assert.equal([bad.status, bad.body.error.code, bad.body.error.field], [400, 'invalid_field', 'updated_since']);
});

test('POST /api/v1/conversations answers 201 when it creates a conversation and 200 when it continues one', async ({ t }) => {
  const first = await start(t, 'c-1', 'Hello');
  assert.is(first.status, 201);
  const again = await start(t, 'c-1', 'Again');
  assert.is(again.status, 200);
  assert.is(again.body.conversation.id, first.body.conversation.id);
  assert.is(again.body.message.text, 'Again');
  await t.api('PATCH', `/api/v1/conversations/${first.body.conversation.id}`, { status: 'resolved' });
  const reopened = await start(t, 'c-1', 'Back');
  assert.equal([reopened.status, reopened.body.conversation.status], [200, 'open'], 'a resolved one is reopened, not created');
});

test('DELETE answers 204, also when repeated, for every resource', async ({ app, t }) => {
  const hook = (await t.api('POST', '/api/v1/webhooks', { url: 'https://hooks.example.kz/h', events: ['message.sent'] })).body.id;
  const key = (await createApiKey(app.ctx.db, app.ctx.clock, { clientId: t.client.id, label: 'spare' }, { id: null, label: 'test' })).apiKey.id;
  for (const url of [`/api/v1/webhooks/${hook}`, `/api/v1/api-keys/${key}`]) {
    for (let i = 0; i < 2; i++) {
      const res = await t.api('DELETE', url);
      assert.equal([res.status, res.body], [204, undefined], `${url} #${i + 1}`);
    }
  }
  assert.is((await t.api('GET', `/api/v1/webhooks/${hook}`)).status, 404);
  for (const url of ['/api/v1/webhooks/01m00000000000000000000000', '/api/v1/api-keys/01m00000000000000000000000']) {
    assert.is((await t.api('DELETE', url)).status, 404, `${url}: never there`);
  }
  assert.ok((await t.api('GET', `/api/v1/api-keys/${key}`)).body.revoked_at, 'the key shows as revoked');
  const audited = await app.ctx.db.selectFrom('audit_log').select('action').where('target_id', 'in', [hook, key]).where('action', 'in', ['api_key.revoked', 'webhook.deleted']).execute();
  assert.equal(audited.map((r) => r.action).sort(), ['api_key.revoked', 'webhook.deleted'], 'each change audited once');
});

test.run();
