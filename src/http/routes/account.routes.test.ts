import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, postForm, buildClient, buildUser, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { totpCodeAt, type User } from '../../auth/index.ts';
import { listAudit } from '../../audit/index.ts';
import { setSetting } from '../../settings/index.ts';
import type { ManualClock } from '../../lib/clock.ts';

const test = suite<{ app: TestApp }>('account and two-factor sign-in');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const step = (app: TestApp) => (app.clock as ManualClock).advance(30_000);

/** Enrols through the UI; returns the secret read from the page. */
async function enrolViaPage(app: TestApp, jar: CookieJar): Promise<string> {
  const page = await (await app.request('/account/totp', { jar })).text();
  assert.match(page, /<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
  const secret = page.match(/<code>([A-Z2-7 ]+)<\/code>/)![1].replace(/ /g, '');
  const res = await postForm(app, jar, '/account/totp', { code: totpCodeAt(secret, app.clock.now()) }, csrfFrom(page));
  assert.is(res.status, 303);
  return secret;
}

async function passwordStep(app: TestApp, email: string, password = TEST_PASSWORD): Promise<{ jar: CookieJar; res: Response }> {
  const jar = new CookieJar();
  const csrf = csrfFrom(await (await app.request('/login', { jar })).text());
  const res = await postForm(app, jar, '/login', { email, password, next: '/account' }, csrf);
  return { jar, res };
}

test('a user enrols with the QR code page, and from then on signing in needs a code', async ({ app }) => {
  const user = await buildUser(app, 'owner', (await buildClient(app)).id);
  const jar = await loginAs(app, user.email, TEST_PASSWORD);
  const account = await (await app.request('/account', { jar })).text();
  assert.match(account, /Выключена: для входа достаточно пароля./);
  const secret = await enrolViaPage(app, jar);
  assert.match(await (await app.request('/account', { jar })).text(), /Включена: для входа нужен код/);

  const { jar: jar2, res } = await passwordStep(app, user.email);
  assert.is(res.status, 303);
  assert.is(res.headers.get('location'), '/login/totp?next=%2Faccount');
  // Half signed in: every page sends back to the code.
  const home = await app.request('/', { jar: jar2 });
  assert.is(home.headers.get('location'), '/login/totp');
  const page = await (await app.request('/login/totp?next=%2Faccount', { jar: jar2 })).text();
  assert.match(page, /Введите 6-значный код/);
  assert.not.match(page, /class="topbar"/, 'no navigation before the second factor');
  step(app);
  const wrong = await postForm(app, jar2, '/login/totp', { code: '000000', next: '/account' }, csrfFrom(page));
  assert.is(wrong.status, 401);
  assert.match(await wrong.text(), /Код неверен/);
  const bad = await postForm(app, jar2, '/login/totp', { code: 'abc', next: '/account' }, csrfFrom(page));
  assert.is(bad.status, 400);
  assert.match(await bad.text(), /Введите 6 цифр/);
  const ok = await postForm(app, jar2, '/login/totp', { code: totpCodeAt(secret, app.clock.now()), next: '/account' }, csrfFrom(page));
  assert.is(ok.status, 303);
  assert.is(ok.headers.get('location'), '/account');
  assert.is((await app.request('/account', { jar: jar2 })).status, 200);
  const actions = (await listAudit(app.ctx.db, {})).map((a) => a.action);
  for (const a of ['auth.totp_enabled', 'auth.totp_failed', 'auth.totp_passed']) assert.ok(actions.includes(a), a);
});

test('wrong codes are throttled like passwords, with a clear message', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const secret = await enrolViaPage(app, await loginAs(app, user.email, TEST_PASSWORD));
  const { jar } = await passwordStep(app, user.email);
  const csrf = csrfFrom(await (await app.request('/login/totp', { jar })).text());
  step(app);
  for (let i = 0; i < 5; i++) assert.is((await postForm(app, jar, '/login/totp', { code: '000000' }, csrf)).status, 401);
  const blocked = await postForm(app, jar, '/login/totp', { code: totpCodeAt(secret, app.clock.now()) }, csrf);
  assert.is(blocked.status, 429);
  assert.is(blocked.headers.get('retry-after'), '30');
  assert.match(await blocked.text(), /Слишком много неверных кодов. Повторите через 30 с./);
  step(app);
  assert.is((await postForm(app, jar, '/login/totp', { code: totpCodeAt(secret, app.clock.now()) }, csrf)).status, 303);
});

test('a password without its code expires after ten minutes', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  await enrolViaPage(app, await loginAs(app, user.email, TEST_PASSWORD));
  const { jar } = await passwordStep(app, user.email);
  (app.clock as ManualClock).advance(11 * 60_000);
  const res = await app.request('/login/totp', { jar });
  assert.is(res.headers.get('location'), '/login');
});

async function mustEnrol(app: TestApp, user: User) {
  const jar = await loginAs(app, user.email, TEST_PASSWORD);
  for (const p of ['/', '/account']) {
    const res = await app.request(p, { jar });
    assert.is(res.status, 303, p);
    assert.is(res.headers.get('location'), '/account/totp', p);
  }
  const page = await (await app.request('/account/totp', { jar })).text();
  assert.match(page, /требует двухфакторную аутентификацию/);
  await enrolViaPage(app, jar);
  assert.is((await app.request('/', { jar })).status, 200);
  // Turning it off is not offered, and refused if tried.
  const account = await (await app.request('/account', { jar })).text();
  assert.not.match(account, /action="\/account\/totp\/disable"/);
  step(app);
  assert.is((await postForm(app, jar, '/account/totp/disable', { code: '123456' }, csrfFrom(account))).status, 403);
}

test('an owner\'s "require TOTP" sends the client\'s members to enrolment, and no one else', async ({ app }) => {
  const a = await buildClient(app);
  const b = await buildClient(app);
  await app.ctx.db.updateTable('clients').set({ require_totp: 1 }).where('id', '=', a.id).execute();
  await mustEnrol(app, await buildUser(app, 'representative', a.id));
  const other = await loginAs(app, (await buildUser(app, 'owner', b.id)).email, TEST_PASSWORD);
  assert.is((await app.request('/', { jar: other })).status, 200);
});

test('the staff setting sends staff without TOTP to enrolment', async ({ app }) => {
  await setSetting(app.ctx.db, app.ctx.vault, app.clock, 'security.staff_require_totp', 'true');
  await mustEnrol(app, await buildUser(app, 'support'));
});

test('a user turns TOTP off with a current code, and signs in with the password alone again', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const jar = await loginAs(app, user.email, TEST_PASSWORD);
  const secret = await enrolViaPage(app, jar);
  step(app);
  const account = await (await app.request('/account', { jar })).text();
  const wrong = await postForm(app, jar, '/account/totp/disable', { code: '000000' }, csrfFrom(account));
  assert.is(wrong.status, 400);
  assert.match(await wrong.text(), /Код неверен/);
  assert.is((await postForm(app, jar, '/account/totp/disable', { code: totpCodeAt(secret, app.clock.now()) }, csrfFrom(account))).status, 303);
  const { res } = await passwordStep(app, user.email);
  assert.is(res.headers.get('location'), '/account');
  assert.ok((await listAudit(app.ctx.db, {})).some((a) => a.action === 'auth.totp_disabled'));
});

test('the profile form saves the name and language, and rejects an overlong name', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const jar = await loginAs(app, user.email, TEST_PASSWORD);
  const csrf = csrfFrom(await (await app.request('/account', { jar })).text());
  const long = await postForm(app, jar, '/account/profile', { name: 'x'.repeat(300), language: 'en' }, csrf);
  assert.is(long.status, 400);
  assert.match(await long.text(), /не длиннее 200 символов/);
  const res = await postForm(app, jar, '/account/profile', { name: 'Aigerim', language: 'kk' }, csrf);
  assert.is(res.status, 303);
  const page = await (await app.request(res.headers.get('location')!, { jar })).text();
  assert.match(page, /Профиль сақталды/);
  assert.match(page, /value="Aigerim"/);
});

test.run();
