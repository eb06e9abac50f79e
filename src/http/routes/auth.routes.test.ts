import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, postForm, CookieJar, csrfFrom, type TestApp } from '../../testing/test-app.ts';
import { DEFAULT_ADMIN_EMAIL } from '../../tenants/index.ts';

const test = suite<{ app: TestApp }>('auth routes');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('the one-time admin password logs in and must be changed before anything else', async ({ app }) => {
  const jar = await loginAs(app, DEFAULT_ADMIN_EMAIL, app.adminPassword!);
  const home = await app.request('/', { jar });
  assert.is(home.status, 303);
  assert.is(home.headers.get('location'), '/account/password');
  const page = await (await app.request('/account/password', { jar })).text();
  const res = await postForm(app, jar, '/account/password', { current: app.adminPassword!, password: 'a much better pass', repeat: 'a much better pass' }, csrfFrom(page));
  assert.is(res.status, 303);
  const after = await app.request('/', { jar });
  assert.is(after.status, 200);
  assert.match(await after.text(), /Demo Company/);
  // The old one-time password no longer works.
  const jar2 = new CookieJar();
  const login = await app.request('/login', { jar: jar2 });
  const bad = await postForm(app, jar2, '/login', { email: DEFAULT_ADMIN_EMAIL, password: app.adminPassword! }, csrfFrom(await login.text()));
  assert.is(bad.status, 401);
});

test('a wrong password is refused with a message and no session', async ({ app }) => {
  const jar = new CookieJar();
  const page = await app.request('/login', { jar });
  const res = await postForm(app, jar, '/login', { email: DEFAULT_ADMIN_EMAIL, password: 'nope nope nope' }, csrfFrom(await page.text()));
  assert.is(res.status, 401);
  assert.match(await res.text(), /Неверная эл. почта или пароль/);
  assert.is(jar.get('habar_session'), undefined);
});

test('a login form without its CSRF token is refused', async ({ app }) => {
  const res = await app.request('/login', { method: 'POST', body: new URLSearchParams({ email: DEFAULT_ADMIN_EMAIL, password: app.adminPassword! }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(res.status, 403);
});

test('pages without a session redirect to the login page', async ({ app }) => {
  const res = await app.request('/');
  assert.is(res.status, 303);
  assert.match(res.headers.get('location')!, /^\/login/);
});

test.run();
