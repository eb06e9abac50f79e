import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, postForm, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { findUserByEmail } from '../../auth/index.ts';
import { listAudit } from '../../audit/index.ts';

const test = suite<{ app: TestApp; admin: CookieJar; adminId: string }>('staff screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  const admin = await buildUser(ctx.app, 'admin');
  ctx.adminId = admin.id;
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const oneTimePassword = (html: string) => html.match(/class="otp-value">([^<]+)</)?.[1];

test('an admin creates a support user, who signs in with the one-time password shown once', async ({ app, admin }) => {
  const res = await postForm(app, admin, '/staff', { email: 'helper@operator.kz', name: 'Helper', role: 'support' });
  assert.is(res.status, 200);
  const password = oneTimePassword(await res.text())!;
  assert.ok(password);
  assert.not.ok(oneTimePassword(await (await app.request('/staff', { jar: admin })).text()));
  const jar = await loginAs(app, 'helper@operator.kz', password);
  assert.is((await app.request('/', { jar })).headers.get('location'), '/account/password');
  const [entry] = await listAudit(app.ctx.db, { action: 'user.created' });
  assert.equal(JSON.parse(entry.details), { role: 'support' });
});

test('a client role cannot be given to staff, and a taken e-mail is an inline error', async ({ app, admin }) => {
  assert.is((await postForm(app, admin, '/staff', { email: 'x@operator.kz', role: 'owner' })).status, 422);
  assert.is(await findUserByEmail(app.ctx.db, 'x@operator.kz'), undefined);
  await buildUser(app, 'support', null, 'taken@operator.kz');
  const res = await postForm(app, admin, '/staff', { email: 'taken@operator.kz', role: 'support' });
  assert.is(res.status, 422);
  assert.match(await res.text(), /уже существует/);
});

test('disabling a staff user signs them out; a reset password replaces theirs; nobody disables themselves', async ({ app, admin, adminId }) => {
  const support = await buildUser(app, 'support');
  const jar = await loginAs(app, support.email, TEST_PASSWORD);
  assert.is((await postForm(app, admin, `/staff/${support.id}/disable`, {})).status, 303);
  assert.is((await app.request('/', { jar })).status, 303);
  assert.is((await postForm(app, admin, `/staff/${support.id}/enable`, {})).status, 303);
  const reset = await postForm(app, admin, `/staff/${support.id}/reset-password`, {});
  const password = oneTimePassword(await reset.text())!;
  const fresh = new CookieJar();
  const page = await (await app.request('/login', { jar: fresh })).text();
  assert.is((await postForm(app, fresh, '/login', { email: support.email, password: TEST_PASSWORD }, csrfFrom(page))).status, 401);
  await loginAs(app, support.email, password);
  assert.is((await postForm(app, admin, `/staff/${adminId}/disable`, {})).status, 422);
  assert.equal((await listAudit(app.ctx.db, { action: 'user.' })).map((e) => e.action), ['user.password_reset', 'user.enabled', 'user.disabled']);
});

test('staff pages are for admins only, and a client member is not staff', async ({ app, admin }) => {
  const support = await buildUser(app, 'support');
  const jar = await loginAs(app, support.email, TEST_PASSWORD);
  assert.is((await app.request('/staff', { jar })).status, 403);
  assert.is((await postForm(app, jar, '/staff', { email: 'sneaky@operator.kz', role: 'admin' })).status, 403);
  const owner = await buildUser(app, 'owner', (await app.ctx.db.selectFrom('clients').select('id').executeTakeFirstOrThrow()).id);
  assert.is((await postForm(app, admin, `/staff/${owner.id}/disable`, {})).status, 404);
});

test.run();
