import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, csrfFrom, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

const test = suite('flash banners after a redirect');
let app: TestApp;

test.before(async () => {
  app = await makeTestApp();
});
test.after(async () => app.cleanup());

const banner = (html: string) => html.match(/<p class="flash" role="status">([^<]*)<\/p>/)?.[1];

test('a crafted ?flash= shows nothing, on the login page or a signed-in one', async () => {
  const admin = await buildUser(app, 'admin');
  const jar = await loginAs(app, admin.email, TEST_PASSWORD);
  for (const text of ['Пароль сброшен. Временный пароль: 1234-5678', 'Call +7 701 000 00 00 now', 'chat.them', 'account.ended_others', 'no.such.key', '<b>x</b>']) {
    const login = await (await app.request(`/login?flash=${encodeURIComponent(text)}`)).text();
    assert.is(banner(login), undefined, `login page: ${text}`);
    assert.not.ok(login.includes('1234-5678'));
    assert.is(banner(await (await app.request(`/account?flash=${encodeURIComponent(text)}`, { jar })).text()), undefined, `account page: ${text}`);
  }
  // A catalog key of our own, the way the routes redirect: shown, translated.
  assert.is(banner(await (await app.request('/account?flash=password.changed', { jar })).text()), 'Пароль изменён');
});

test('a banner with a value shows what the server put in it, and nothing when the value was changed', async () => {
  const user = await buildUser(app, 'admin');
  const jar = await loginAs(app, user.email, TEST_PASSWORD);
  await loginAs(app, user.email, TEST_PASSWORD); // a second session, to be ended
  const csrf = csrfFrom(await (await app.request('/account', { jar })).text());
  const res = await app.request('/account/sessions/end-others', { method: 'POST', jar, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }) });
  assert.is(res.status, 303);
  const location = res.headers.get('location')!;
  assert.is(banner(await (await app.request(location, { jar })).text()), 'Завершено других сеансов: 1');
  const url = new URL(location, 'http://x');
  const [key, , sig] = url.searchParams.get('flash')!.split('~');
  const forged = `${key}~${Buffer.from(JSON.stringify({ n: 'Временный пароль: 1234-5678' })).toString('base64url')}~${sig}`;
  assert.is(banner(await (await app.request(`/account?flash=${encodeURIComponent(forged)}`, { jar })).text()), undefined);
  // Another install (another signing key) does not vouch for this one's links either.
  const other = await makeTestApp();
  try {
    assert.is(banner(await (await other.request(`/login${url.search}`)).text()), undefined);
  } finally {
    await other.cleanup();
  }
});

test.run();
