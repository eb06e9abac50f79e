import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { getClient } from '../../tenants/index.ts';
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
