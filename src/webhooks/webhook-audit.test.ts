import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../testing/test-app.ts';
import { buildApiTenant } from '../testing/api-client.ts';
import { setSetting } from '../settings/index.ts';

// The webhook commands audit themselves: the screen's pause and resume buttons and the API's
// PUT {"active": …} leave the same rows; a failed change leaves none.

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant; owner: CookieJar; hookId: string }>('webhook changes are audited alike from the UI and the API');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'true');
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  const owner = await buildUser(ctx.app, 'owner', ctx.t.client.id);
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  const made = await ctx.t.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message.received'] });
  ctx.hookId = made.body.id;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const rows = (app: TestApp) =>
  app.ctx.db.selectFrom('audit_log').select(['action', 'client_id', 'target_type', 'target_id', 'details']).where('action', 'like', 'webhook.%').orderBy('id').execute();

test('pausing and resuming from the screen and from the API leave the same audit rows', async ({ app, t, owner, hookId }) => {
  assert.is((await postForm(app, owner, `/clients/acme/webhooks/${hookId}/pause`, {})).status, 303);
  assert.is((await t.api('PUT', `/api/v1/webhooks/${hookId}`, { active: true })).status, 200);
  assert.is((await t.api('PUT', `/api/v1/webhooks/${hookId}`, { active: false })).status, 200);
  assert.is((await postForm(app, owner, `/clients/acme/webhooks/${hookId}/resume`, {})).status, 303);
  const row = (action: string) => ({ action, client_id: t.client.id, target_type: 'webhook', target_id: hookId, details: '{}' });
  assert.equal(await rows(app), [row('webhook.created'), row('webhook.paused'), row('webhook.resumed'), row('webhook.paused'), row('webhook.resumed')]);
});

test('a change of the address is webhook.updated naming the fields, never the secret; a refused one records nothing', async ({ app, t, hookId }) => {
  assert.is((await t.api('PUT', `/api/v1/webhooks/${hookId}`, { url: 'http://127.0.0.1:9/other', secret: 'a-new-secret-of-enough-length' })).status, 200);
  assert.is((await t.api('PUT', `/api/v1/webhooks/${hookId}`, { url: 'ftp://nowhere' })).status, 400);
  const [, updated, ...rest] = await rows(app);
  assert.is(updated.action, 'webhook.updated');
  assert.equal(JSON.parse(updated.details), { fields: ['url', 'secret'] });
  assert.not.match(updated.details, /a-new-secret/);
  assert.is(rest.length, 0);
});

test.run();
