import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant } from '../../../testing/api-client.ts';
import { getClient, updateClient } from '../../../tenants/index.ts';

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant }>('settings through the API');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const auditOf = (app: TestApp, action: string) =>
  app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

test('the index lists every screen’s area, ai included, with defaults and read-only fields marked', async ({ t }) => {
  const res = await t.api('GET', '/api/v1/settings');
  assert.is(res.status, 200);
  type Area = { area: string; fields: Array<{ name: string; type: string; secret: boolean; default?: unknown; read_only?: boolean }> };
  const areas = res.body.data as Area[];
  const byName = new Map(areas.map((a) => [a.area, a]));
  for (const name of ['ai', 'auto-reply', 'company', 'general', 'security']) assert.ok(byName.has(name), name);
  const field = (area: string, name: string) => byName.get(area)!.fields.find((f) => f.name === name);
  assert.is(field('auto-reply', 'online_minutes')?.default, 10);
  assert.is(field('ai', 'api_key')?.secret, true);
  assert.is(field('ai', 'provider_status')?.read_only, true);
  assert.is(field('company', 'contact_persons')?.type, 'array');
  assert.equal(field('security', 'require_totp'), { ...field('security', 'require_totp')!, type: 'boolean', read_only: true });
});

test('an unset auto-reply value reads as the default in force, and clearing one returns to it', async ({ t }) => {
  const unset = (await t.api('GET', '/api/v1/settings/auto-reply')).body;
  assert.equal([unset.enabled, unset.online_minutes, unset.repeat_after_minutes, unset.text], [false, 10, 60, null]);
  assert.is((await t.api('PUT', '/api/v1/settings/auto-reply', { online_minutes: 25 })).body.online_minutes, 25);
  assert.is((await t.api('PUT', '/api/v1/settings/auto-reply', { online_minutes: null })).body.online_minutes, 10);
});

test('the company details are rectified through the API: only the fields sent change, and the audit log names them', async ({ app, t }) => {
  const before = (await t.api('GET', '/api/v1/settings/company')).body;
  assert.equal(before, { name: 'Client acme', contact_email: null, phone: null, invoice_address: null, contact_persons: [], timezone: 'Asia/Almaty' });
  const persons = [{ name: 'Aliya Nurlanovna', email: 'aliya@acme.kz', role: 'accountant' }];
  const put = await t.api('PUT', '/api/v1/settings/company', { contact_email: 'office@acme.kz', phone: '+7 701 234 56 78', contact_persons: persons });
  assert.is(put.status, 200);
  assert.equal(put.body, {
    ...before, contact_email: 'office@acme.kz', phone: '+7 701 234 56 78',
    contact_persons: [{ name: 'Aliya Nurlanovna', email: 'aliya@acme.kz', phone: null, role: 'accountant' }],
  });
  const stored = await getClient(app.ctx.db, t.client.id);
  assert.is(stored.contactEmail, 'office@acme.kz', 'the UI shows the same record');
  assert.is(stored.name, 'Client acme');
  const [audit] = await auditOf(app, 'client.updated');
  assert.equal(JSON.parse(audit.details), { fields: ['contact_email', 'phone', 'contact_persons'] });
  assert.match(audit.actor_label, /^api-key:/);
  assert.not.match(audit.details, /acme\.kz|701/, 'names of fields only, never their values');
  const cleared = await t.api('PUT', '/api/v1/settings/company', { phone: null, timezone: 'Asia/Aqtobe' });
  assert.equal([cleared.body.phone, cleared.body.timezone, cleared.body.contact_email], [null, 'Asia/Aqtobe', 'office@acme.kz']);
  await t.api('PUT', '/api/v1/settings/company', { timezone: 'Asia/Aqtobe' });
  assert.is((await auditOf(app, 'client.updated')).length, 2, 'a PUT that changes nothing records nothing');
});

test('bad company details answer 400 naming the field, and nothing sent with them is stored', async ({ app, t }) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ name: 'New name', contact_email: 'not-an-email' }, 'contact_email'],
    [{ name: 'New name', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ name: '' }, 'name'],
    [{ name: 'New name', contact_persons: [{ name: 'A', email: 'bad' }] }, 'contact_persons'],
    [{ name: 'New name', contact_persons: [{ name: 'A', age: 3 }] }, 'contact_persons.0.age'],
    [{ name: 'New name', slug: 'other' }, 'slug'],
    [{ name: null }, 'name'],
  ];
  for (const [body, field] of cases) {
    const res = await t.api('PUT', '/api/v1/settings/company', body);
    assert.is(res.status, 400, JSON.stringify(body));
    assert.is(res.body.error.field, field, JSON.stringify(body));
  }
  assert.is((await getClient(app.ctx.db, t.client.id)).name, 'Client acme');
  assert.is((await auditOf(app, 'client.updated')).length, 0);
});

test('the TOTP requirement is readable but only the owner changes it (in the UI), not an API key', async ({ app, t }) => {
  assert.equal((await t.api('GET', '/api/v1/settings/security')).body, { require_totp: false });
  const refused = await t.api('PUT', '/api/v1/settings/security', { require_totp: true });
  assert.equal([refused.status, refused.body.error.code, refused.body.error.field], [403, 'owner_only_setting', 'require_totp']);
  assert.is((await getClient(app.ctx.db, t.client.id)).requireTotp, false);
  assert.equal((await t.api('PUT', '/api/v1/settings/security', { require_totp: false })).body, { require_totp: false }, 'sending the value back is harmless');
  await updateClient(app.ctx.db, app.ctx.clock, t.client.id, { requireTotp: true });
  assert.equal((await t.api('GET', '/api/v1/settings/security')).body, { require_totp: true });
  const off = await t.api('PUT', '/api/v1/settings/security', { require_totp: false });
  assert.is(off.status, 403, 'a leaked key cannot weaken the members’ sign-in');
  assert.is((await getClient(app.ctx.db, t.client.id)).requireTotp, true);
});

test('a sandbox channel created through the API answers with a customer_url that takes messages at once', async ({ app, t }) => {
  const res = await t.api('POST', '/api/v1/channels', { kind: 'sandbox', name: 'Website chat' });
  assert.is(res.status, 201);
  assert.equal([res.body.kind, res.body.name, res.body.status], ['sandbox', 'Website chat', 'connected']);
  assert.ok(res.body.customer_url.startsWith(`${app.ctx.publicUrl()}/c/`));
  const said = await app.request(`${new URL(res.body.customer_url).pathname}/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hello from the new page' }),
  });
  assert.is(said.status, 201);
  const list = (await t.api('GET', '/api/v1/channels')).body.data as Array<{ id: string }>;
  assert.equal(list.map((c) => c.id).sort(), [t.channel.id, res.body.id].sort());
  const [audit] = await auditOf(app, 'channel.created');
  assert.equal([audit.target_id, audit.client_id], [res.body.id, t.client.id]);
  // An Instagram account is connected with its id and a token (instagram-connect.api.test.ts), never by a name alone.
  const instagram = await t.api('POST', '/api/v1/channels', { kind: 'instagram', name: 'Shop' });
  assert.equal([instagram.status, instagram.body.error.field], [400, 'ig_account_id']);
  const unknown = await t.api('POST', '/api/v1/channels', { kind: 'telegram', name: 'Shop' });
  assert.equal([unknown.status, unknown.body.error.field], [400, 'kind']);
  const noName = await t.api('POST', '/api/v1/channels', { kind: 'sandbox', name: '  ' });
  assert.equal([noName.status, noName.body.error.field], [400, 'name']);
  assert.is((await t.api('GET', '/api/v1/channels')).body.data.length, 2);
});

test.run();
