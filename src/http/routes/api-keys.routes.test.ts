import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { apiClient } from '../../testing/api-client.ts';
import type { Client } from '../../tenants/index.ts';

const test = suite<{ app: TestApp; client: Client; owner: CookieJar }>('API keys screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.client = await buildClient(ctx.app, { slug: 'acme' });
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const KEY = /data-testid="new-api-key">(hbr_[A-Za-z0-9_-]+)</;

test('an owner creates a key that is shown once, works with the API, shows its last use, and stops working when revoked', async ({ app, owner }) => {
  const page = await app.request('/clients/acme/api-keys', { jar: owner });
  assert.is(page.status, 200);
  const res = await postForm(app, owner, '/clients/acme/api-keys', { label: 'CRM sync' }, csrfFrom(await page.text()));
  assert.is(res.status, 200);
  const html = await res.text();
  const key = html.match(KEY)?.[1];
  assert.ok(key, 'the new key is on the page');
  const again = await (await app.request('/clients/acme/api-keys', { jar: owner })).text();
  assert.not.ok(again.includes(key!), 'shown once only');
  assert.match(again, /CRM sync/);
  assert.match(again, new RegExp(`${key!.slice(0, 10)}…`));
  assert.match(again, /никогда/);
  assert.not.ok(app.logs.join('').includes(key!), 'never logged');
  const api = apiClient(app, key);
  assert.is((await api('GET', '/api/v1/channels')).status, 200);
  const used = await (await app.request('/clients/acme/api-keys', { jar: owner })).text();
  assert.not.match(used, /никогда/);
  const id = used.match(/action="\/clients\/acme\/api-keys\/([0-9a-z]+)\/revoke"/)?.[1];
  const revoke = await postForm(app, owner, `/clients/acme/api-keys/${id}/revoke`, {}, csrfFrom(used));
  assert.is(revoke.status, 303);
  assert.is((await api('GET', '/api/v1/channels')).status, 401);
  assert.match(await (await app.request('/clients/acme/api-keys', { jar: owner })).text(), /отозван/);
});

test('agents may not open it, members of another client get 404, admins may manage it, and forms need their CSRF token', async ({ app, client, owner }) => {
  const agent = await buildUser(app, 'agent', client.id);
  assert.is((await app.request('/clients/acme/api-keys', { jar: await loginAs(app, agent.email, TEST_PASSWORD) })).status, 403);
  const other = await buildClient(app, { slug: 'other' });
  const stranger = await buildUser(app, 'owner', other.id);
  const sJar = await loginAs(app, stranger.email, TEST_PASSWORD);
  assert.is((await app.request('/clients/acme/api-keys', { jar: sJar })).status, 404);
  const sPage = await (await app.request('/clients/other/api-keys', { jar: sJar })).text();
  assert.is((await postForm(app, sJar, '/clients/acme/api-keys', { label: 'x' }, csrfFrom(sPage))).status, 404);
  const admin = await buildUser(app, 'admin');
  const aJar = await loginAs(app, admin.email, TEST_PASSWORD);
  const aPage = await (await app.request('/clients/acme/api-keys', { jar: aJar })).text();
  assert.match((await (await postForm(app, aJar, '/clients/acme/api-keys', { label: 'ops' }, csrfFrom(aPage))).text()), KEY);
  const noCsrf = await app.request('/clients/acme/api-keys', { method: 'POST', jar: owner, body: new URLSearchParams({ label: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(noCsrf.status, 403);
  const count = await app.ctx.db.selectFrom('api_keys').select('id').where('client_id', '=', client.id).execute();
  assert.is(count.length, 1, 'only the admin’s key was made');
});

test('a label that is too long is refused inline', async ({ app, owner }) => {
  const page = await (await app.request('/clients/acme/api-keys', { jar: owner })).text();
  const res = await postForm(app, owner, '/clients/acme/api-keys', { label: 'x'.repeat(101) }, csrfFrom(page));
  assert.is(res.status, 422);
  assert.match(await res.text(), /class="field invalid"/);
});

test.run();
