import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { makeTestApp, loginAs, buildUser, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { getSetting, hasSetting } from '../../settings/index.ts';
import { listAudit } from '../../audit/index.ts';

const test = suite<{ app: TestApp; admin: CookieJar }>('settings screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  const admin = await buildUser(ctx.app, 'admin');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const SECRET = 'smtp-Pa55word-never-shown';

test('an admin saves settings; the secret is write-only, sealed, and the audit lists keys only', async ({ app, admin }) => {
  const res = await postForm(app, admin, '/settings', { 'smtp.host': 'mail.example.kz', 'smtp.port': '587', 'smtp.password': SECRET, 'smtp.secure': 'false' });
  assert.is(res.status, 303);
  const { db, vault } = app.ctx;
  assert.is(await getSetting(db, vault, 'smtp.host'), 'mail.example.kz');
  assert.is(await getSetting(db, vault, 'smtp.password'), SECRET);
  const page = await (await app.request('/settings', { jar: admin })).text();
  assert.match(page, /value="mail\.example\.kz"/);
  assert.not.match(page, new RegExp(SECRET), 'a stored secret is never sent back');
  assert.match(page, /badge on">задано/);
  const [entry] = await listAudit(db, { action: 'settings.updated' });
  assert.equal(JSON.parse(entry.details).keys.sort(), ['smtp.host', 'smtp.password', 'smtp.port', 'smtp.secure']);
  assert.not.match(entry.details, /mail\.example|Pa55/);
  const raw = (await db.selectFrom('settings').select('value').where('key', '=', 'smtp.password').executeTakeFirstOrThrow()).value;
  assert.not.match(raw, /Pa55/);
  assert.ok(!fs.readFileSync(path.join(app.dir, 'habar.db')).includes(SECRET));
});

test('an admin enters the Meta app (secret and verify token sealed) and the page shows the exact URLs to paste into Meta\'s dashboard', async ({ app, admin }) => {
  const res = await postForm(app, admin, '/settings', { 'meta.app_id': '1234567890', 'meta.app_secret': 'meta-secret-value', 'meta.verify_token': 'verify-value', 'meta.graph_url': 'https://proxy.example.kz/graph/' });
  assert.is(res.status, 303);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'meta.graph_url'), 'https://proxy.example.kz/graph', 'no trailing slash');
  const page = await (await app.request('/settings', { jar: admin })).text();
  assert.not.match(page, /meta-secret-value|verify-value/);
  assert.match(page, `${app.ctx.publicUrl()}/webhooks/instagram`);
  assert.match(page, `${app.ctx.publicUrl()}/oauth/instagram/callback`);
  const bad = await postForm(app, admin, '/settings', { 'meta.graph_url': 'graph.facebook.com', 'meta.graph_version': '21' });
  assert.is(bad.status, 422);
});

test('an empty secret field keeps the stored secret; the clear box clears it', async ({ app, admin }) => {
  await postForm(app, admin, '/settings', { 'smtp.password': SECRET });
  await postForm(app, admin, '/settings', { 'smtp.host': 'smtp.other.kz', 'smtp.password': '' });
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'smtp.password'), SECRET);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'smtp.host'), 'smtp.other.kz');
  await postForm(app, admin, '/settings', { 'smtp.password': '', 'clear:smtp.password': '1' });
  assert.is(await hasSetting(app.ctx.db, 'smtp.password'), false);
  const [last] = await listAudit(app.ctx.db, { action: 'settings.updated' });
  assert.equal(JSON.parse(last.details), { keys: ['smtp.password'] });
});

test('an invalid value is shown inline with 422 and no setting changes', async ({ app, admin }) => {
  const res = await postForm(app, admin, '/settings', { 'smtp.host': 'mail.example.kz', 'smtp.port': '99999', 'ui.default_language': 'de' });
  assert.is(res.status, 422);
  const html = await res.text();
  // In the user's language (ru here), by the error's code.
  assert.match(html, /Введите целое число от 1 до 65535/);
  assert.match(html, /Выберите одно из значений: ru, kk, en/);
  assert.not.match(html, /Expected/);
  assert.match(html, /value="99999"/);
  // The summary at the top links to each field with a mistake; the number field says its range.
  const summary = html.slice(html.indexOf('class="error-summary"'), html.indexOf('</ul>', html.indexOf('class="error-summary"')));
  assert.equal([...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]), ['field-smtp.port', 'field-ui.default_language']);
  assert.match(html, /<input name="smtp\.port" type="number" value="99999" aria-invalid="true" min="1" max="65535" id="field-smtp\.port"/);
  assert.is(await hasSetting(app.ctx.db, 'smtp.host'), false);
  assert.is((await listAudit(app.ctx.db, { action: 'settings.updated' })).length, 0);
});

test('only admins open the settings', async ({ app }) => {
  const support = await buildUser(app, 'support');
  const jar = await loginAs(app, support.email, TEST_PASSWORD);
  assert.is((await app.request('/settings', { jar })).status, 403);
  assert.is((await postForm(app, jar, '/settings', { 'smtp.host': 'evil.example' })).status, 403);
  assert.is(await hasSetting(app.ctx.db, 'smtp.host'), false);
});

test.run();
