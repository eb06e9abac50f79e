import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { unzipSync, strFromU8 } from 'fflate';
import { makeTestApp, buildUser, loginAs, postForm, TEST_PASSWORD, type CookieJar, type TestApp } from '../../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../../testing/api-client.ts';

// The Data export screen: owners and representatives (and the operator's admins) export everything
// of their client, or one contact from the privacy screen, and download it with their session;
// agents may not, and nobody reaches another client's export.

interface Ctx { app: TestApp; acme: ApiTenant; other: ApiTenant; owner: CookieJar; agent: CookieJar; otherOwner: CookieJar }
const test = suite<Ctx>('the Data export screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.acme = await buildApiTenant(ctx.app, 'acme');
  ctx.other = await buildApiTenant(ctx.app, 'other');
  const login = async (role: 'owner' | 'agent', clientId: string) => loginAs(ctx.app, (await buildUser(ctx.app, role, clientId)).email, TEST_PASSWORD);
  ctx.owner = await login('owner', ctx.acme.client.id);
  ctx.agent = await login('agent', ctx.acme.client.id);
  ctx.otherOwner = await login('owner', ctx.other.client.id);
});
test.after.each(async (ctx) => { await ctx.app.cleanup(); });

const exportsOf = (app: TestApp, clientId: string) => app.ctx.db.selectFrom('privacy_requests').selectAll().where('client_id', '=', clientId).orderBy('id').execute();

test('the owner exports the whole client and one contact, sees the list and downloads with the session', async ({ app, acme, owner }) => {
  await acme.customerSays('Hello from Aigerim', 'aigerim');
  const contactId = (await acme.api('GET', '/api/v1/contacts')).body.data[0].id;
  assert.is((await postForm(app, owner, '/clients/acme/exports', {})).status, 303);
  assert.is((await postForm(app, owner, `/clients/acme/exports/contacts/${contactId}`, {})).status, 303);
  const privacyPage = await (await app.request('/clients/acme/privacy?q=aigerim', { jar: owner })).text();
  assert.match(privacyPage, new RegExp(`action="/clients/acme/exports/contacts/${contactId}"`), 'the privacy screen offers the export');
  const page = await (await app.request('/clients/acme/exports?part=list', { jar: owner })).text();
  assert.match(page, /hx-trigger="every 1s"/, 'the list polls while exports are written');
  await app.ctx.jobs.drain();
  const [all, one] = await exportsOf(app, acme.client.id);
  assert.is(all.kind, 'client_export');
  assert.is(one.kind, 'contact_export');
  assert.is(one.contact_id, contactId);
  const done = await (await app.request('/clients/acme/exports', { jar: owner })).text();
  assert.not.match(done, /hx-trigger="every 1s"/, 'no more polling once done');
  assert.match(done, new RegExp(`href="/clients/acme/exports/${one.id}/download"`));
  const res = await app.request(`/clients/acme/exports/${one.id}/download`, { jar: owner });
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="habar-contact-export-/);
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  assert.match(strFromU8(files['summary.html']), /Hello from Aigerim/);
  assert.match(strFromU8(files['summary.html']), /lang="ru"/, 'in the member\'s language');
});

test('agents may not export; another client\'s owner finds neither the screen nor the download', async ({ app, acme, agent, owner, otherOwner }) => {
  assert.is((await app.request('/clients/acme/exports', { jar: agent })).status, 403);
  assert.is((await postForm(app, agent, '/clients/acme/exports', {})).status, 403);
  assert.is((await app.request('/clients/acme/exports', { jar: otherOwner })).status, 404);
  assert.is((await postForm(app, otherOwner, '/clients/acme/exports', {})).status, 404);
  assert.is((await exportsOf(app, acme.client.id)).length, 0);
  await postForm(app, owner, '/clients/acme/exports', {});
  await app.ctx.jobs.drain();
  const [r] = await exportsOf(app, acme.client.id);
  assert.is((await app.request(`/clients/acme/exports/${r.id}/download`, { jar: otherOwner })).status, 404);
  assert.is((await app.request(`/clients/other/exports/${r.id}/download`, { jar: otherOwner })).status, 404, "through its own slug, another client's export is not found either");
  assert.is((await postForm(app, otherOwner, `/clients/other/exports/contacts/nope`, {})).status, 404);
});

test.run();
