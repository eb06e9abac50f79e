import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, postForm, buildUser, CookieJar, csrfFrom, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { DEFAULT_ADMIN_EMAIL } from '../../tenants/index.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, THROTTLE_RULES } from '../../auth/index.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { setSetting } from '../../settings/index.ts';

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
  assert.match(await after.text(), /Демо-компания/);
  // The old one-time password no longer works.
  const jar2 = new CookieJar();
  const login = await app.request('/login', { jar: jar2 });
  const bad = await postForm(app, jar2, '/login', { email: DEFAULT_ADMIN_EMAIL, password: app.adminPassword! }, csrfFrom(await login.text()));
  assert.is(bad.status, 401);
});

test('changing the password signs out every other session of the account, and keeps this one', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const here = await loginAs(app, user.email, TEST_PASSWORD);
  const elsewhere = await loginAs(app, user.email, TEST_PASSWORD);
  const page = await (await app.request('/account/password', { jar: here })).text();
  const res = await postForm(app, here, '/account/password', { current: TEST_PASSWORD, password: 'a much better pass', repeat: 'a much better pass' }, csrfFrom(page));
  assert.is(res.status, 303);
  assert.is((await app.request('/', { jar: here })).status, 200, 'this browser stays signed in');
  const other = await app.request('/', { jar: elsewhere });
  assert.is(other.status, 303);
  assert.match(other.headers.get('location')!, /^\/login\?expired=1/);
  assert.is((await app.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).length, 1);
});

test('guessing the current password on the change form is throttled like the login', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const jar = await loginAs(app, user.email, TEST_PASSWORD);
  const csrf = csrfFrom(await (await app.request('/account/password', { jar })).text());
  const change = (current: string) => postForm(app, jar, '/account/password', { current, password: 'a much better pass', repeat: 'a much better pass' }, csrf);
  for (let i = 0; i < THROTTLE_RULES.account.free; i++) assert.is((await change(`guess ${i}`)).status, 422);
  const blocked = await change(TEST_PASSWORD);
  assert.is(blocked.status, 429, 'even the right password waits');
  assert.is(blocked.headers.get('retry-after'), String(THROTTLE_RULES.account.baseSeconds));
  assert.match(await blocked.text(), /Повторите через 30 с/);
  (app.clock as ManualClock).advance(THROTTLE_RULES.account.baseSeconds * 1000);
  assert.is((await change(TEST_PASSWORD)).status, 303);
});

test('the install default language (ui.default_language) is what a browser without a choice sees', async ({ app }) => {
  assert.match(await (await app.request('/login')).text(), /<html lang="ru"/);
  await setSetting(app.ctx.db, app.ctx.vault, app.clock, 'ui.default_language', 'en');
  (app.clock as ManualClock).advance(60_000); // past the brief in-memory cache
  const page = await (await app.request('/login')).text();
  assert.match(page, /<html lang="en"/);
  assert.match(page, /Sign in/);
  // A choice of the browser still wins.
  assert.match(await (await app.request('/login?lang=kk')).text(), /<html lang="kk"/);
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

const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

async function loggedInAdmin(app: TestApp): Promise<CookieJar> {
  const jar = await loginAs(app, DEFAULT_ADMIN_EMAIL, app.adminPassword!);
  const page = await (await app.request('/account/password', { jar })).text();
  await postForm(app, jar, '/account/password', { current: app.adminPassword!, password: 'a much better pass', repeat: 'a much better pass' }, csrfFrom(page));
  return jar;
}

test('the session cookie is HttpOnly and SameSite=Lax, and not Secure over plain HTTP', async ({ app }) => {
  const jar = new CookieJar();
  const page = await app.request('/login', { jar });
  const res = await postForm(app, jar, '/login', { email: DEFAULT_ADMIN_EMAIL, password: app.adminPassword! }, csrfFrom(await page.text()));
  const cookie = res.headers.getSetCookie().find((l) => l.startsWith('habar_session='))!;
  assert.ok(cookie, 'a session cookie is set');
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Path=\//);
  assert.not.match(cookie, /Secure/);
});

test('behind a TLS-terminating proxy the session cookie is Secure', async () => {
  const app = await makeTestApp({ flags: { 'trust-proxy': 'true' } });
  try {
    const jar = new CookieJar();
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };
    const page = await app.request('/login', { jar, headers });
    const res = await app.request('/login', { method: 'POST', jar, body: new URLSearchParams({ _csrf: csrfFrom(await page.text()), email: DEFAULT_ADMIN_EMAIL, password: app.adminPassword! }), headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.is(res.status, 303);
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('habar_session='))!;
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
  } finally {
    await app.cleanup();
  }
});

test('an idle session ends: the next page goes to the login page with a message', async ({ app }) => {
  const jar = await loggedInAdmin(app);
  assert.is((await app.request('/', { jar })).status, 200);
  (app.clock as ManualClock).advance(SESSION_IDLE_MS + 60_000);
  const res = await app.request('/account', { jar });
  assert.is(res.status, 303);
  assert.is(res.headers.get('location'), '/login?expired=1&next=%2Faccount');
  const login = await app.request(res.headers.get('location')!, { jar });
  assert.match(await login.text(), /Сеанс завершён. Войдите снова./);
  assert.is(jar.get('habar_session'), undefined, 'the dead cookie is cleared');
});

test('a session in daily use still ends after its absolute lifetime', async ({ app }) => {
  const jar = await loggedInAdmin(app);
  const clock = app.clock as ManualClock;
  for (let used = 0; used + 6 * 3600_000 < SESSION_ABSOLUTE_MS; used += 6 * 3600_000) {
    clock.advance(6 * 3600_000);
    assert.is((await app.request('/', { jar })).status, 200);
  }
  clock.advance(6 * 3600_000);
  const res = await app.request('/', { jar });
  assert.is(res.status, 303);
  assert.match(res.headers.get('location')!, /^\/login\?expired=1/);
});

test('"log out all other sessions" ends the other browsers but keeps this one', async ({ app }) => {
  const mine = await loggedInAdmin(app);
  const other = await loginAs(app, DEFAULT_ADMIN_EMAIL, 'a much better pass');
  assert.is((await app.request('/', { jar: other })).status, 200);
  const account = await (await app.request('/account', { jar: mine })).text();
  assert.match(account, /Выйти из всех других сеансов/);
  const res = await postForm(app, mine, '/account/sessions/end-others', {}, csrfFrom(account));
  assert.is(res.status, 303);
  assert.match(await (await app.request(res.headers.get('location')!, { jar: mine })).text(), /Завершено других сеансов: 1/);
  assert.is((await app.request('/', { jar: mine })).status, 200);
  const gone = await app.request('/', { jar: other });
  assert.match(gone.headers.get('location')!, /^\/login\?expired=1/);
});

test('malformed login fields get inline messages and count as no attempt', async ({ app }) => {
  const jar = new CookieJar();
  const csrf = csrfFrom(await (await app.request('/login', { jar })).text());
  const bad = await postForm(app, jar, '/login', { email: 'not-an-email', password: '' }, csrf);
  assert.is(bad.status, 400);
  const body = await bad.text();
  assert.match(body, /Введите правильный адрес эл. почты/);
  assert.match(body, /Введите пароль/);
  const long = await postForm(app, jar, '/login', { email: DEFAULT_ADMIN_EMAIL, password: 'x'.repeat(5000) }, csrf);
  assert.is(long.status, 400);
  assert.match(await long.text(), /не длиннее 200 символов/);
  const missing = await app.request('/login', { method: 'POST', jar, ...form({ _csrf: csrf }) });
  assert.is(missing.status, 400);
  const json = await app.request('/login', { method: 'POST', jar, body: JSON.stringify({ email: DEFAULT_ADMIN_EMAIL }), headers: { 'content-type': 'application/json', 'x-csrf-token': csrf } });
  assert.is(json.status, 400, 'a non-form body is refused');
  const throttle = await app.ctx.db.selectFrom('login_throttle').selectAll().execute();
  assert.equal(throttle, [], 'no failure recorded');
  // The admin can still sign in.
  assert.is((await postForm(app, jar, '/login', { email: DEFAULT_ADMIN_EMAIL, password: app.adminPassword! }, csrf)).status, 303);
});

test('a change-password form with a wrong current password or mismatched repeat shows each error', async ({ app }) => {
  const jar = await loginAs(app, DEFAULT_ADMIN_EMAIL, app.adminPassword!);
  const csrf = csrfFrom(await (await app.request('/account/password', { jar })).text());
  const res = await postForm(app, jar, '/account/password', { current: 'wrong', password: 'long enough pass', repeat: 'different pass!!' }, csrf);
  assert.is(res.status, 422);
  const body = await res.text();
  assert.match(body, /Текущий пароль неверен/);
  assert.match(body, /Пароли не совпадают/);
});

test('a 2 MB login post is refused with 413 before anything reads it', async ({ app }) => {
  const jar = new CookieJar();
  const csrf = csrfFrom(await (await app.request('/login', { jar })).text());
  const big = new URLSearchParams({ _csrf: csrf, email: DEFAULT_ADMIN_EMAIL, password: 'x'.repeat(2 * 1024 * 1024) }).toString();
  const res = await app.request('/login', { method: 'POST', jar, body: big, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(big.length) } });
  assert.is(res.status, 413);
  assert.match(await res.text(), /Request body too large|слишком/i);
  const streamed = await app.request('/login', { method: 'POST', jar, body: new Blob([big]).stream(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, duplex: 'half' } as RequestInit);
  assert.is(streamed.status, 413, 'also without a Content-Length');
});

test('logging out ends the session on the server, not just the cookie', async ({ app }) => {
  const jar = await loggedInAdmin(app);
  const token = jar.get('habar_session')!;
  const home = await (await app.request('/', { jar })).text();
  assert.is((await postForm(app, jar, '/logout', {}, csrfFrom(home))).status, 303);
  const replay = await app.request('/', { headers: { cookie: `habar_session=${token}` } });
  assert.is(replay.status, 303);
  assert.match(replay.headers.get('location')!, /^\/login/);
});

test('a signed-in form posted without its CSRF token is refused with 403 and changes nothing', async ({ app }) => {
  const jar = await loggedInAdmin(app);
  const other = await loginAs(app, DEFAULT_ADMIN_EMAIL, 'a much better pass');
  const res = await app.request('/account/sessions/end-others', { method: 'POST', jar, ...form({}) });
  assert.is(res.status, 403);
  assert.match(await res.text(), /Форма устарела/);
  const forged = await app.request('/account/sessions/end-others', { method: 'POST', jar, ...form({ _csrf: 'forged-token' }) });
  assert.is(forged.status, 403);
  assert.is((await app.request('/', { jar: other })).status, 200, 'the other session is still alive');
});

test.run();
