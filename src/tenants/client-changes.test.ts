import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { postForm, type TestApp } from '../testing/test-app.ts';
import { auditRowsOf, twoEdges, type TwoEdges } from '../testing/api-client.ts';
import { getClient } from './index.ts';

// One command, two edges: the company details changed from the screen (an owner's form) and from
// PUT /api/v1/settings/company go through rectifyClient, so they validate and audit alike.

const test = suite<TwoEdges>('client details: the same command from the UI and the API');

test.before.each((ctx) => twoEdges(ctx));
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const updates = (app: TestApp) => auditRowsOf(app, 'client.updated');

test('a change from the form and one from the API leave the same audit row: action, target and the changed fields’ names', async ({ app, t, owner, ownerEmail }) => {
  const form = await postForm(app, owner, '/clients/acme/edit', { phone: '+7 701 111 22 33' });
  assert.is(form.status, 303);
  const api = await t.api('PUT', '/api/v1/settings/company', { phone: '+7 702 222 33 44' });
  assert.is(api.status, 200);
  assert.is((await getClient(app.ctx.db, t.client.id)).phone, '+7 702 222 33 44');
  const [fromUi, fromApi] = await updates(app);
  const shape = { action: 'client.updated', client_id: t.client.id, target_type: 'client', target_id: t.client.id, details: JSON.stringify({ fields: ['phone'] }) };
  assert.equal({ ...fromUi, actor_label: undefined }, { ...shape, actor_label: undefined });
  assert.equal({ ...fromApi, actor_label: undefined }, { ...shape, actor_label: undefined });
  assert.is(fromUi.actor_label, ownerEmail);
  assert.match(fromApi.actor_label, /^api-key:hbr_/);
});

test('a bad value is refused naming its field from both edges, and nothing is stored or audited', async ({ app, t, owner }) => {
  const before = await getClient(app.ctx.db, t.client.id);
  const form = await postForm(app, owner, '/clients/acme/edit', { phone: 'call me', name: 'Renamed' });
  assert.is(form.status, 422);
  assert.match(await form.text(), /номер телефона/);
  const api = await t.api('PUT', '/api/v1/settings/company', { phone: 'call me', name: 'Renamed' });
  assert.is(api.status, 400);
  assert.is(api.body.error.field, 'phone');
  assert.equal(await getClient(app.ctx.db, t.client.id), before);
  assert.is((await updates(app)).length, 0);
});

test('sending the stored values again changes nothing and records nothing, from either edge', async ({ app, t, owner }) => {
  const current = await getClient(app.ctx.db, t.client.id);
  assert.is((await postForm(app, owner, '/clients/acme/edit', { name: current.name })).status, 303);
  assert.is((await t.api('PUT', '/api/v1/settings/company', { name: current.name })).status, 200);
  assert.is((await updates(app)).length, 0);
});

test.run();
