import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../../../testing/api-client.ts';

// A WhatsApp number's settings (groups, media caps, first messages a day, history sync) are changed
// through PATCH /api/v1/channels/{id}: checked by the kind's driver, stored, shown, audited.

const test = suite<{ app: TestApp; t: ApiTenant; other: ApiTenant }>('channel settings through the API');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  ctx.other = await buildApiTenant(ctx.app, 'other');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('a WhatsApp number shows its settings in force, and a change of some keys is stored, shown and audited', async ({ app, t }) => {
  const created = await t.api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop' });
  assert.is(created.status, 201);
  assert.equal([created.body.settings.historySyncDays, created.body.settings.groups, created.body.settings.dailyNewContacts], [0, false, 20], 'the defaults');
  const changed = await t.api('PATCH', `/api/v1/channels/${created.body.id}`, { name: 'Shop on Abay', settings: { historySyncDays: 7, groups: true } });
  assert.is(changed.status, 200, JSON.stringify(changed.body));
  assert.equal([changed.body.name, changed.body.settings.historySyncDays, changed.body.settings.groups, changed.body.settings.dailyNewContacts], ['Shop on Abay', 7, true, 20]);
  const again = await t.api('GET', `/api/v1/channels/${created.body.id}`);
  assert.equal([again.body.settings.historySyncDays, again.body.settings.groups], [7, true], 'stored');
  const audit = await app.ctx.db.selectFrom('audit_log').select(['details', 'client_id']).where('action', '=', 'channel.updated').execute();
  assert.is(audit.length, 1);
  assert.equal(JSON.parse(audit[0].details), { fields: ['name', 'settings'], settings: { historySyncDays: 7, groups: true } });
  assert.is(audit[0].client_id, t.client.id);
});

test('an unknown setting or a value out of bounds is a 400 naming settings.<key>, and nothing changes', async ({ t }) => {
  const id = (await t.api('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Shop' })).body.id;
  const unknown = await t.api('PATCH', `/api/v1/channels/${id}`, { settings: { colour: true } });
  assert.equal([unknown.status, unknown.body.error.code, unknown.body.error.field], [400, 'invalid_field', 'settings.colour']);
  const tooMany = await t.api('PATCH', `/api/v1/channels/${id}`, { settings: { historySyncDays: 400 } });
  assert.equal([tooMany.status, tooMany.body.error.field], [400, 'settings.historySyncDays']);
  const wrongType = await t.api('PATCH', `/api/v1/channels/${id}`, { settings: { groups: 1 } });
  assert.equal([wrongType.status, wrongType.body.error.field], [400, 'settings.groups']);
  assert.is((await t.api('GET', `/api/v1/channels/${id}`)).body.settings.historySyncDays, 0);
});

test('a sandbox has no settings to change (409), and another client\'s channel is not found', async ({ t, other }) => {
  const sandbox = await t.api('PATCH', `/api/v1/channels/${t.channel.id}`, { settings: { groups: true } });
  assert.equal([sandbox.status, sandbox.body.error.code], [409, 'not_supported']);
  assert.is((await t.api('PATCH', `/api/v1/channels/${t.channel.id}`, { name: 'Website chat' })).body.name, 'Website chat', 'a rename still works');
  const foreign = await other.api('PATCH', `/api/v1/channels/${t.channel.id}`, { name: 'Mine now' });
  assert.is(foreign.status, 404);
  assert.is((await t.api('GET', `/api/v1/channels/${t.channel.id}`)).body.name, 'Website chat');
});

test.run();
