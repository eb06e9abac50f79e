import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, postForm, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { requestPasswordReset, updateUser, verifyPassword, findUserByEmail } from '../../auth/index.ts';

const test = suite('weak passwords are refused wherever a password is set');
let app: TestApp;

test.before(async () => {
  app = await makeTestApp();
});
test.after(async () => app.cleanup());

const storedHash = async (email: string) => (await findUserByEmail(app.ctx.db, email))!.passwordHash;

async function changePassword(jar: CookieJar, password: string) {
  const csrf = csrfFrom(await (await app.request('/account/password', { jar })).text());
  return postForm(app, jar, '/account/password', { current: TEST_PASSWORD, password, repeat: password }, csrf);
}

test('an admin cannot change to password123: the form says why, in the user’s language, and the old password still works', async () => {
  const admin = await buildUser(app, 'admin');
  const jar = await loginAs(app, admin.email, TEST_PASSWORD);
  const before = await storedHash(admin.email);
  const ru = await changePassword(jar, 'password123');
  assert.is(ru.status, 422);
  const page = await ru.text();
  assert.match(page, /Этот пароль слишком легко угадать\. Это распространённый пароль\./);
  assert.is(await storedHash(admin.email), before, 'nothing stored');

  await updateUser(app.ctx.db, app.clock, admin.id, { language: 'kk' });
  assert.match(await (await changePassword(jar, 'пароль2024')).text(), /Бұл құпиясөзді табу тым оңай\./);
  await updateUser(app.ctx.db, app.clock, admin.id, { language: 'en', name: 'Aigerim Nurlanova' });
  assert.match(await (await changePassword(jar, 'йцукен12345')).text(), /This password is too easy to guess\./);
  assert.match(await (await changePassword(jar, 'aigerim nurlanova')).text(), /Do not use your name or e-mail address/);

  const ok = await changePassword(jar, 'steppe eagle over the river');
  assert.is(ok.status, 303);
  assert.ok(await verifyPassword('steppe eagle over the river', await storedHash(admin.email)));
});

test('the forced change after a one-time password and the reset link refuse a weak password too', async () => {
  const member = await buildUser(app, 'admin');
  await app.ctx.db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', member.id).execute();
  const jar = await loginAs(app, member.email, TEST_PASSWORD);
  assert.is((await changePassword(jar, 'qwerty123456')).status, 422);

  const reset = await requestPasswordReset(app.ctx.db, app.clock, { email: member.email, ip: '127.0.0.1' });
  const path = `/password/reset/${reset!.token}`;
  const anon = new CookieJar();
  const csrf = csrfFrom(await (await app.request(path, { jar: anon })).text());
  const weak = await postForm(app, anon, path, { password: 'Пароль12345', repeat: 'Пароль12345' }, csrf);
  assert.is(weak.status, 422);
  assert.match(await weak.text(), /слишком легко угадать/);
  const strong = await postForm(app, anon, path, { password: 'тёплый ветер над степью', repeat: 'тёплый ветер над степью' }, csrf);
  assert.is(strong.status, 303);
});

test.run();
