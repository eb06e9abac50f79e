import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { getClient } from '../../tenants/index.ts';
import { beginTotpEnrolment, confirmTotpEnrolment, totpCodeAt } from '../../auth/index.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { listAudit } from '../../audit/index.ts';

const test = suite<{ app: TestApp; admin: CookieJar }>('clients screens');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  const admin = await buildUser(ctx.app, 'admin');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

/** Posts a form with repeated fields (e.g. several contact-person rows), with the session's CSRF token. */
async function post(app: TestApp, jar: CookieJar, path: string, fields: Array<[string, string]>): Promise<Response> {
  const csrf = csrfFrom(await (await app.request('/', { jar })).text());
  return app.request(path, { method: 'POST', jar, body: new URLSearchParams([['_csrf', csrf], ...fields]), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const person = (name: string, email: string, phone: string, role: string): Array<[string, string]> =>
  [['cp_name', name], ['cp_email', email], ['cp_phone', phone], ['cp_role', role]];

test('an admin creates a client with contact persons through the form and sees it', async ({ app, admin }) => {
  const form = await app.request('/clients/new', { jar: admin });
  assert.is(form.status, 200);
  assert.match(await form.text(), /Asia\/Almaty/);
  const res = await post(app, admin, '/clients', [
    ['name', 'Алма Тур ТОО'], ['slug', 'alma-tour'], ['contact_email', 'info@almatour.kz'], ['phone', '+7 701 111 22 33'],
    ['invoice_address', 'Алматы, пр. Абая 10'], ['timezone', ''], ['contact_persons_present', '1'],
    ...person('Айгерим', 'aigerim@almatour.kz', '+7 701 000 00 01', 'Директор'), ...person('', '', '', ''),
  ]);
  assert.is(res.status, 303);
  assert.match(res.headers.get('location')!, /^\/clients\/alma-tour\?flash=/);
  const stored = await getClient(app.ctx.db, 'alma-tour');
  assert.is(stored.timezone, 'Asia/Almaty');
  assert.equal(stored.contactPersons, [{ name: 'Айгерим', email: 'aigerim@almatour.kz', phone: '+7 701 000 00 01', role: 'Директор' }]);
  const page = await (await app.request('/clients/alma-tour', { jar: admin })).text();
  assert.match(page, /Алма Тур ТОО/);
  assert.match(page, /Айгерим/);
  const list = await (await app.request('/clients', { jar: admin })).text();
  assert.match(list, /href="\/clients\/alma-tour"/);
  const [entry] = await listAudit(app.ctx.db, { action: 'client.created' });
  assert.is(entry.clientId, stored.id);
});

test('a new client with mistakes gets every error inline with 422 and nothing is created', async ({ app, admin }) => {
  const res = await post(app, admin, '/clients', [['name', ''], ['slug', 'Bad Slug'], ['contact_email', 'not-an-email'], ['phone', 'call me']]);
  assert.is(res.status, 422);
  const html = await res.text();
  assert.match(html, /Введите название компании/);
  assert.match(html, /строчных латинских букв/);
  assert.match(html, /корректный адрес эл. почты/);
  assert.match(html, /номер телефона/);
  assert.match(html, /value="not-an-email"/, 'the submitted values stay in the form');
  const taken = await post(app, admin, '/clients', [['name', 'Again'], ['slug', 'demo']]);
  assert.is(taken.status, 422);
  assert.match(await taken.text(), /уже занято/);
});

test('editing changes only the submitted fields and the audit names the fields, never the values', async ({ app, admin }) => {
  const before = await getClient(app.ctx.db, 'demo');
  const edit = await app.request('/clients/demo/edit', { jar: admin });
  assert.is(edit.status, 200);
  const res = await post(app, admin, '/clients/demo/edit', [['phone', '+7 777 123 45 67'], ['contact_email', 'new@demo.kz']]);
  assert.is(res.status, 303);
  const after = await getClient(app.ctx.db, 'demo');
  assert.is(after.phone, '+7 777 123 45 67');
  assert.is(after.contactEmail, 'new@demo.kz');
  assert.is(after.name, before.name, 'a field not submitted is left as stored');
  assert.is(after.invoiceAddress, before.invoiceAddress);
  const [entry] = await listAudit(app.ctx.db, { action: 'client.updated' });
  assert.equal(JSON.parse(entry.details), { fields: ['contact_email', 'phone'] });
  assert.not.match(entry.details, /777|new@demo/);
});

test('an edit with a validation error answers 422 inline and keeps the stored data unchanged', async ({ app, admin }) => {
  const before = await getClient(app.ctx.db, 'demo');
  const res = await post(app, admin, '/clients/demo/edit', [['name', 'Renamed'], ['phone', 'not a phone'], ['contact_persons_present', '1'], ...person('', 'x@y.kz', '', '')]);
  assert.is(res.status, 422);
  const html = await res.text();
  assert.match(html, /номер телефона/);
  assert.match(html, /контактного лица должно быть имя/);
  assert.match(html, /value="Renamed"/);
  assert.equal(await getClient(app.ctx.db, 'demo'), before);
  assert.is((await listAudit(app.ctx.db, { action: 'client.updated' })).length, 0);
});

test('an owner opens and edits their own client but not another one', async ({ app }) => {
  const own = await buildClient(app, { slug: 'own-co' });
  const other = await buildClient(app, { slug: 'other-co' });
  const owner = await buildUser(app, 'owner', own.id);
  const jar = await loginAs(app, owner.email, TEST_PASSWORD);
  assert.is((await app.request('/clients', { jar })).headers.get('location'), '/clients/own-co');
  assert.is((await app.request('/clients/own-co', { jar })).status, 200);
  const res = await post(app, jar, '/clients/own-co/edit', [['invoice_address', 'Астана, ул. Мангилик Ел 1']]);
  assert.is(res.status, 303);
  assert.is((await getClient(app.ctx.db, own.id)).invoiceAddress, 'Астана, ул. Мангилик Ел 1');
  assert.is((await app.request('/clients/other-co', { jar })).status, 404);
  assert.is((await post(app, jar, '/clients/other-co/edit', [['name', 'Hijacked']])).status, 404);
  assert.is((await getClient(app.ctx.db, other.id)).name, other.name);
  assert.is((await post(app, jar, '/clients', [['name', 'Mine'], ['slug', 'mine']])).status, 403);
});

test('an owner requires a second factor for members: a member without TOTP is sent to enrolment', async ({ app }) => {
  const own = await buildClient(app, { slug: 'totp-co' });
  const owner = await buildUser(app, 'owner', own.id);
  const agent = await buildUser(app, 'agent', own.id);
  const jar = await loginAs(app, owner.email, TEST_PASSWORD);
  const res = await post(app, jar, '/clients/totp-co/edit', [['require_totp_present', '1'], ['require_totp', 'on']]);
  assert.is(res.status, 303);
  assert.ok((await getClient(app.ctx.db, own.id)).requireTotp);
  const agentJar = await loginAs(app, agent.email, TEST_PASSWORD);
  const home = await app.request('/', { jar: agentJar });
  assert.is(home.status, 303);
  assert.match(home.headers.get('location')!, /totp/);
});

test('a representative edits the client but cannot turn its second-factor requirement off (nor sees the box)', async ({ app, admin }) => {
  const own = await buildClient(app, { slug: 'rep-co' });
  await app.ctx.db.updateTable('clients').set({ require_totp: 1 }).where('id', '=', own.id).execute();
  const rep = await buildUser(app, 'representative', own.id);
  const clock = app.clock as ManualClock;
  const { secret } = await beginTotpEnrolment(app.ctx.db, app.ctx.vault, clock, rep.id);
  assert.ok(await confirmTotpEnrolment(app.ctx.db, app.ctx.vault, clock, rep.id, totpCodeAt(secret, clock.now()), ''));
  clock.advance(30_000);
  const jar = await loginAs(app, rep.email, TEST_PASSWORD);
  const csrf = csrfFrom(await (await app.request('/login/totp', { jar })).text());
  const second = await app.request('/login/totp', { method: 'POST', jar, body: new URLSearchParams({ _csrf: csrf, code: totpCodeAt(secret, clock.now()) }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(second.status, 303);
  const form = await (await app.request('/clients/rep-co/edit', { jar })).text();
  assert.not.match(form, /name="require_totp"/);
  // An unchecked box posts only the "present" marker: that would mean "off".
  const res = await post(app, jar, '/clients/rep-co/edit', [['name', 'Rep Renamed'], ['require_totp_present', '1']]);
  assert.is(res.status, 303);
  const after = await getClient(app.ctx.db, own.id);
  assert.is(after.name, 'Rep Renamed');
  assert.ok(after.requireTotp, 'the requirement stays on');
  assert.match(await (await app.request('/clients/rep-co/edit', { jar: admin })).text(), /name="require_totp"/, 'an admin (or the owner) sees the box');
});

test('an agent works the inbox only: the client management screens answer 403', async ({ app }) => {
  const own = await buildClient(app);
  const agent = await buildUser(app, 'agent', own.id);
  const jar = await loginAs(app, agent.email, TEST_PASSWORD);
  for (const path of ['/clients', `/clients/${own.slug}`, `/clients/${own.slug}/edit`, `/clients/${own.slug}/members`, `/clients/${own.slug}/support`, '/audit', '/audit.csv', '/staff', '/settings']) {
    assert.is((await app.request(path, { jar })).status, 403, path);
  }
  assert.is((await post(app, jar, `/clients/${own.slug}/edit`, [['name', 'Agent was here']])).status, 403);
  assert.is((await getClient(app.ctx.db, own.id)).name, own.name);
});

test.run();
