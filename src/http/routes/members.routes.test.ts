import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, postForm, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { findUserByEmail } from '../../auth/index.ts';
import { listAudit } from '../../audit/index.ts';
import type { Client } from '../../tenants/index.ts';

const test = suite<{ app: TestApp; client: Client; owner: CookieJar; ownerId: string }>('client members');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.client = await buildClient(ctx.app, { slug: 'acme' });
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  ctx.ownerId = owner.id;
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const oneTimePassword = (html: string) => html.match(/class="otp-value">([^<]+)</)?.[1];

test('an owner creates a member who signs in once with the one-time password and must change it', async ({ app, owner }) => {
  const res = await postForm(app, owner, '/clients/acme/members', { email: 'Rep@Acme.kz', name: 'Даурен', role: 'representative' });
  assert.is(res.status, 200);
  const html = await res.text();
  const password = oneTimePassword(html);
  assert.ok(password, 'the one-time password is shown on the page');
  assert.ok(!app.logs.some((l) => l.includes(password!)), 'the one-time password never reaches a log line');
  const list = await (await app.request('/clients/acme/members', { jar: owner })).text();
  assert.match(list, /rep@acme\.kz/);
  assert.not.ok(oneTimePassword(list), 'it is shown only once');
  const [created] = await listAudit(app.ctx.db, { action: 'user.created' });
  assert.equal(JSON.parse(created.details), { role: 'representative' });

  const jar = await loginAs(app, 'rep@acme.kz', password!);
  const home = await app.request('/', { jar });
  assert.is(home.status, 303);
  assert.is(home.headers.get('location'), '/account/password');
  const page = await (await app.request('/account/password', { jar })).text();
  const changed = await postForm(app, jar, '/account/password', { current: password!, password: 'my own good pass', repeat: 'my own good pass' }, csrfFrom(page));
  assert.is(changed.status, 303);
  assert.is((await app.request('/clients/acme', { jar })).status, 200);
});

test('a representative manages agents only and cannot create an owner', async ({ app, client }) => {
  const rep = await buildUser(app, 'representative', client.id);
  const jar = await loginAs(app, rep.email, TEST_PASSWORD);
  const form = await (await app.request('/clients/acme/members', { jar })).text();
  assert.not.match(form, /<option value="owner"/);
  const res = await postForm(app, jar, '/clients/acme/members', { email: 'boss@acme.kz', role: 'owner' });
  assert.is(res.status, 403);
  assert.is(await findUserByEmail(app.ctx.db, 'boss@acme.kz'), undefined);
  const agent = await postForm(app, jar, '/clients/acme/members', { email: 'agent@acme.kz', role: 'agent' });
  assert.is(agent.status, 200);
  const created = await findUserByEmail(app.ctx.db, 'agent@acme.kz');
  assert.is(created?.role, 'agent');
  // ...and cannot promote that agent to owner, nor reset anyone's password.
  assert.is((await postForm(app, jar, `/clients/acme/members/${created!.id}`, { email: 'agent@acme.kz', name: '', role: 'owner' })).status, 403);
  assert.is((await findUserByEmail(app.ctx.db, 'agent@acme.kz'))?.role, 'agent');
  assert.is((await postForm(app, jar, `/clients/acme/members/${created!.id}/reset-password`, {})).status, 403);
});

test('editing a member records the changed field names; a taken e-mail is an inline 422', async ({ app, client, owner }) => {
  const agent = await buildUser(app, 'agent', client.id, 'agent1@acme.kz');
  await buildUser(app, 'agent', client.id, 'agent2@acme.kz');
  const res = await postForm(app, owner, `/clients/acme/members/${agent.id}`, { email: 'agent1@acme.kz', name: 'Новое имя', role: 'representative' });
  assert.is(res.status, 303);
  const [entry] = await listAudit(app.ctx.db, { action: 'user.updated' });
  assert.equal(JSON.parse(entry.details), { fields: ['name', 'role'] });
  const taken = await postForm(app, owner, `/clients/acme/members/${agent.id}`, { email: 'agent2@acme.kz', name: 'x', role: 'agent' });
  assert.is(taken.status, 422);
  assert.match(await taken.text(), /уже существует/);
  assert.is((await findUserByEmail(app.ctx.db, 'agent1@acme.kz'))?.name, 'Новое имя');
});

test('disabling a member ends their sessions and blocks sign-in; enabling lets them back', async ({ app, client, owner }) => {
  const agent = await buildUser(app, 'agent', client.id);
  const agentJar = await loginAs(app, agent.email, TEST_PASSWORD);
  assert.is((await app.request('/', { jar: agentJar })).status, 200);
  assert.is((await postForm(app, owner, `/clients/acme/members/${agent.id}/disable`, {})).status, 303);
  assert.is((await app.request('/', { jar: agentJar })).status, 303, 'the open session has ended');
  const jar = new CookieJar();
  const page = await (await app.request('/login', { jar })).text();
  assert.is((await postForm(app, jar, '/login', { email: agent.email, password: TEST_PASSWORD }, csrfFrom(page))).status, 401);
  assert.is((await postForm(app, owner, `/clients/acme/members/${agent.id}/enable`, {})).status, 303);
  await loginAs(app, agent.email, TEST_PASSWORD);
  assert.equal((await listAudit(app.ctx.db, { action: 'user.' })).map((e) => e.action).filter((a) => a !== 'user.created'), ['user.enabled', 'user.disabled']);
});

test('an owner resets a member password: a new one-time password, shown once, the old one stops working', async ({ app, client, owner, ownerId }) => {
  const agent = await buildUser(app, 'agent', client.id);
  const res = await postForm(app, owner, `/clients/acme/members/${agent.id}/reset-password`, {});
  assert.is(res.status, 200);
  const password = oneTimePassword(await res.text())!;
  assert.ok(password);
  const jar = await loginAs(app, agent.email, password);
  assert.is((await app.request('/', { jar })).headers.get('location'), '/account/password');
  const [entry] = await listAudit(app.ctx.db, { action: 'user.password_reset' });
  assert.is(entry.targetId, agent.id);
  assert.is((await postForm(app, owner, `/clients/acme/members/${ownerId}/disable`, {})).status, 422, 'nobody disables themselves');
});

test('a member of another client is not found through this client', async ({ app, owner }) => {
  const other = await buildClient(app);
  const stranger = await buildUser(app, 'agent', other.id);
  assert.is((await app.request(`/clients/acme/members/${stranger.id}`, { jar: owner })).status, 404);
  assert.is((await postForm(app, owner, `/clients/acme/members/${stranger.id}/disable`, {})).status, 404);
  assert.is((await findUserByEmail(app.ctx.db, stranger.email))?.disabled, false);
});

test.run();
