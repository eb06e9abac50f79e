import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, buildUser, postForm, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { startSmtpStandIn, mailText, type SmtpStandIn } from '../../testing/smtp-stand-in.ts';
import { setSetting } from '../../settings/index.ts';
import { listAudit } from '../../audit/index.ts';
import type { ManualClock } from '../../lib/clock.ts';

const test = suite<{ app: TestApp; smtp: SmtpStandIn }>('password reset by e-mail');
const PUBLIC_URL = 'https://habar.example.kz';
const NEW_PASSWORD = 'a brand new password';

test.before.each(async (ctx) => {
  ctx.smtp = await startSmtpStandIn();
  ctx.app = await makeTestApp({ seed: false, flags: { 'public-url': PUBLIC_URL } });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
  await ctx.smtp.close();
});

async function configureSmtp(app: TestApp, smtp: SmtpStandIn) {
  const set = (k: string, v: string) => setSetting(app.ctx.db, app.ctx.vault, app.clock, k, v);
  await set('smtp.host', '127.0.0.1');
  await set('smtp.port', String(smtp.port));
  await set('smtp.secure', 'false');
  await set('smtp.user', 'habar');
  await set('smtp.password', 'smtp secret');
  await set('smtp.from', 'Habar <noreply@example.kz>');
}

async function forgot(app: TestApp, email: string): Promise<Response> {
  const jar = new CookieJar();
  await app.request('/password/forgot', { jar });
  // The pre-session CSRF token is one per browser: the login page shows it even when the forgot page has no form.
  return postForm(app, jar, '/password/forgot', { email }, csrfFrom(await (await app.request('/login', { jar })).text()));
}

async function tryLogin(app: TestApp, email: string, password: string): Promise<number> {
  const jar = new CookieJar();
  const csrf = csrfFrom(await (await app.request('/login', { jar })).text());
  return (await postForm(app, jar, '/login', { email, password }, csrf)).status;
}

const linkIn = (text: string) => text.match(/https:\/\/habar\.example\.kz\/password\/reset\/[A-Za-z0-9_-]+/)![0];

test('a reset link arrives by e-mail, sets a new password once, and the old password stops working', async ({ app, smtp }) => {
  await configureSmtp(app, smtp);
  const user = await buildUser(app, 'owner', (await buildClient(app)).id);
  const res = await forgot(app, user.email.toUpperCase());
  assert.is(res.status, 200);
  assert.match(await res.text(), /ссылка для сброса пароля уже отправлена/);
  const mail = await smtp.waitFor(user.email);
  assert.is(mail.user, 'habar', 'the configured SMTP login was used');
  assert.is(mail.from, 'noreply@example.kz');
  const text = mailText(mail);
  assert.match(text, /Здравствуйте/);
  const link = linkIn(text);
  const path = link.slice(PUBLIC_URL.length);

  const jar = new CookieJar();
  const form = await app.request(path, { jar });
  assert.is(form.status, 200);
  const csrf = csrfFrom(await form.text());
  const mismatch = await postForm(app, jar, path, { password: NEW_PASSWORD, repeat: 'something else' }, csrf);
  assert.is(mismatch.status, 422);
  assert.match(await mismatch.text(), /Пароли не совпадают/);
  const done = await postForm(app, jar, path, { password: NEW_PASSWORD, repeat: NEW_PASSWORD }, csrf);
  assert.is(done.status, 303);
  assert.is(done.headers.get('location'), '/login?reset=1');
  assert.match(await (await app.request('/login?reset=1', { jar })).text(), /Пароль изменён. Войдите с новым паролем./);

  assert.is(await tryLogin(app, user.email, NEW_PASSWORD), 303);
  assert.is(await tryLogin(app, user.email, TEST_PASSWORD), 401);
  const again = await app.request(path, { jar });
  assert.is(again.status, 410, 'the link works once');
  assert.match(await again.text(), /уже использована/);
  assert.is((await postForm(app, jar, path, { password: 'yet another password', repeat: 'yet another password' }, csrf)).status, 410);
  const actions = (await listAudit(app.ctx.db, {})).map((a) => a.action);
  assert.ok(actions.includes('auth.password_reset_requested') && actions.includes('auth.password_reset'));
});

test('an unknown e-mail gets the same answer and no mail', async ({ app, smtp }) => {
  await configureSmtp(app, smtp);
  const known = await buildUser(app, 'admin');
  const a = await (await forgot(app, 'nobody@example.kz')).text();
  const b = await (await forgot(app, known.email)).text();
  const strip = (html: string) => html.replace(/(value|hx-headers)="[^"]*"/g, '');
  assert.is(strip(a), strip(b));
  await smtp.waitFor(known.email);
  assert.is(smtp.messages.length, 1);
});

test('a reset link expires after one hour', async ({ app, smtp }) => {
  await configureSmtp(app, smtp);
  const user = await buildUser(app, 'admin');
  await forgot(app, user.email);
  const path = linkIn(mailText(await smtp.waitFor(user.email))).slice(PUBLIC_URL.length);
  (app.clock as ManualClock).advance(60 * 60 * 1000);
  const res = await app.request(path);
  assert.is(res.status, 410);
  assert.match(await res.text(), /Срок действия ссылки истёк/);
});

test('a made-up token is refused', async ({ app }) => {
  const res = await app.request('/password/reset/not-a-real-token');
  assert.is(res.status, 410);
});

test('without SMTP the page says to ask an administrator, and nothing is stored', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const page = await app.request('/password/forgot');
  assert.match(await page.text(), /Попросите администратора сбросить ваш пароль/);
  const res = await forgot(app, user.email);
  assert.match(await res.text(), /Попросите администратора/);
  assert.equal(await app.ctx.db.selectFrom('password_resets').selectAll().execute(), []);
});

test('requests are throttled: per account silently, per address with 429', async ({ app, smtp }) => {
  await configureSmtp(app, smtp);
  const user = await buildUser(app, 'admin');
  for (let i = 0; i < 5; i++) assert.is((await forgot(app, user.email)).status, 200);
  assert.is((await app.ctx.db.selectFrom('password_resets').selectAll().execute()).length, 3, 'three mails per account, then quiet');
  for (let i = 0; i < 5; i++) await forgot(app, `other${i}@example.kz`);
  const blocked = await forgot(app, user.email);
  assert.is(blocked.status, 429);
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  assert.match(await blocked.text(), /Слишком много запросов/);
  for (let i = 0; i < 3; i++) await smtp.waitFor(user.email);
});

test('concurrent requests for one account still send at most three links', async ({ app, smtp }) => {
  await configureSmtp(app, smtp);
  const user = await buildUser(app, 'admin');
  const browsers = await Promise.all(Array.from({ length: 8 }, async () => {
    const jar = new CookieJar();
    return { jar, csrf: csrfFrom(await (await app.request('/login', { jar })).text()) };
  }));
  const statuses = await Promise.all(browsers.map(({ jar, csrf }) => postForm(app, jar, '/password/forgot', { email: user.email }, csrf).then((r) => r.status)));
  assert.equal(statuses, Array(8).fill(200));
  assert.is((await app.ctx.db.selectFrom('password_resets').selectAll().execute()).length, 3);
  for (let i = 0; i < 3; i++) await smtp.waitFor(user.email);
});

test('when the mail server is down the answer is the same, and the log names no address', async ({ app, smtp }) => {
  await configureSmtp(app, smtp);
  await smtp.close();
  const user = await buildUser(app, 'admin');
  const res = await forgot(app, user.email);
  assert.is(res.status, 200);
  assert.match(await res.text(), /ссылка для сброса пароля уже отправлена/);
  const deadline = Date.now() + 5000;
  while (!app.logs.some((l) => l.includes('password reset mail failed')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const line = app.logs.find((l) => l.includes('password reset mail failed'));
  assert.ok(line, 'the failure is logged');
  assert.match(line!, /"smtp_error":"E[A-Z]+"/);
  assert.not.ok(app.logs.some((l) => l.includes(user.email) || l.includes('smtp secret')), 'no address or SMTP password in any log line');
  smtp.close = async () => {};
});

test.run();
