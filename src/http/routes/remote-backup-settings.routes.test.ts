import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getSetting, hasSetting } from '../../settings/index.ts';
import { finishRun } from '../../backups/runs.ts';
import { runHabarInProcess } from '../../testing/cli.ts';
import { startS3StandIn, type S3StandIn } from '../../testing/s3-stand-in.ts';
import { buildUser, loginAs, makeTestApp, postForm, TEST_PASSWORD, type CookieJar, type TestApp } from '../../testing/test-app.ts';

const test = suite<{ app: TestApp; admin: CookieJar; s3: S3StandIn }>('off-site backup settings');

test.before.each(async (ctx) => {
  ctx.s3 = await startS3StandIn();
  ctx.app = await makeTestApp();
  const admin = await buildUser(ctx.app, 'admin');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.s3.close();
  await ctx.app.cleanup();
});

const form = (s3: S3StandIn, over: Record<string, string> = {}) => ({
  'backup.remote.endpoint': s3.endpoint, 'backup.remote.bucket': 'habar-backups', 'backup.remote.prefix': 'prod',
  'backup.remote.access_key': s3.accessKey, 'backup.remote.secret_key': s3.secretKey,
  'has:backup.remote.in_kazakhstan': '1', 'backup.remote.in_kazakhstan': '1', 'has:backup.remote.enabled': '1', 'backup.remote.enabled': '1', ...over,
});

const storedRemoteKeys = async (app: TestApp) => (await app.ctx.db.selectFrom('settings').select('key').where('key', 'like', 'backup.remote.%').execute()).map((r) => r.key);

test('switching on checks the storage by writing and deleting an object; failures say what failed and store nothing', async ({ app, admin, s3 }) => {
  const wrongKey = await postForm(app, admin, '/settings', { ...form(s3), 'backup.remote.access_key': 'NOT-A-KEY' });
  assert.is(wrongKey.status, 422);
  assert.match(await wrongKey.text(), /the storage does not know this access key/);
  const noBucket = await postForm(app, admin, '/settings', { ...form(s3), 'backup.remote.bucket': 'no-such-bucket' });
  assert.is(noBucket.status, 422);
  assert.match(await noBucket.text(), /there is no bucket &quot;no-such-bucket&quot;|there is no bucket "no-such-bucket"/);
  const nobody = await postForm(app, admin, '/settings', { ...form(s3), 'backup.remote.endpoint': 'http://127.0.0.1:9' });
  assert.is(nobody.status, 422);
  assert.match(await nobody.text(), /nothing answers at http:\/\/127\.0\.0\.1:9/);
  s3.failWrites = 'AccessDenied';
  const readOnly = await postForm(app, admin, '/settings', form(s3));
  assert.match(await readOnly.text(), /may not write or delete objects/);
  delete s3.failWrites;
  assert.equal(await storedRemoteKeys(app), [], 'a refusal changes nothing');

  const from = s3.calls.length;
  const ok = await postForm(app, admin, '/settings', form(s3));
  assert.is(ok.status, 303);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'backup.remote.enabled'), 'true');
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'backup.remote.secret_key'), s3.secretKey);
  const check = s3.calls.slice(from).filter((c) => /\/habar-backups\/prod\/habar-check-/.test(c));
  assert.equal(check.map((c) => c.split(' ')[0]), ['PUT', 'DELETE'], 'written, then deleted');
  assert.is(s3.buckets.get('habar-backups')!.size, 0);

  // While enabled, a change of the target is checked again; a refused one leaves the working settings.
  const broken = await postForm(app, admin, '/settings', { 'backup.remote.secret_key': '', 'backup.remote.access_key': 'OTHER' });
  assert.is(broken.status, 422);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'backup.remote.access_key'), s3.accessKey);
  // Switching off is never checked.
  await s3.close();
  const off = await postForm(app, admin, '/settings', { 'has:backup.remote.enabled': '1' });
  assert.is(off.status, 303);
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'backup.remote.enabled'), 'false');
});

test('storage outside Kazakhstan is refused without a recorded exception, and accepted with one', async ({ app, admin, s3 }) => {
  const abroad = await postForm(app, admin, '/settings', { ...form(s3), 'backup.remote.in_kazakhstan': '' });
  assert.is(abroad.status, 422);
  assert.match(await abroad.text(), /только в Казахстане/);
  assert.equal(await storedRemoteKeys(app), []);
  assert.is(s3.calls.length, 0, 'not even checked');
  const excepted = await postForm(app, admin, '/settings', { ...form(s3), 'backup.remote.in_kazakhstan': '', 'backup.remote.exception': 'The client asked for a copy in its Frankfurt office (letter of 2026-02-01)' });
  assert.is(excepted.status, 303);
  const page = await (await app.request('/settings', { jar: admin })).text();
  assert.match(page, /Frankfurt office/);
  assert.match(page, /id="second-location-warning"/, 'the generic warning about clients\' second-location requests');
});

test('the CLI applies the same rules: a failed check exits non-zero with the reason and stores nothing', async ({ app, s3 }) => {
  await app.close();
  const base = [`backup.remote.endpoint=${s3.endpoint}`, 'backup.remote.bucket=habar-backups', `backup.remote.access_key=WRONG`, 'backup.remote.secret_key=x', 'backup.remote.in_kazakhstan=true'];
  const r = await runHabarInProcess(['settings', 'set', '--data-dir', app.dir, ...base, 'backup.remote.enabled=true']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /the storage does not know this access key/);
  const again = await runHabarInProcess(['settings', 'set', '--data-dir', app.dir, ...base.slice(0, 2), `backup.remote.access_key=${s3.accessKey}`, `backup.remote.secret_key=${s3.secretKey}`, 'backup.remote.in_kazakhstan=true', 'backup.remote.enabled=true']);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /backup.remote.enabled: set to "true"/);
});

test("the admin's dashboard shows the last successful restore drill, and a running upload's progress", async ({ app, admin }) => {
  const { db, clock } = app.ctx;
  await db.insertInto('backup_runs').values({ id: 'd1', kind: 'drill', status: 'running', started_at: '2026-03-01T03:00:00.000Z' }).execute();
  await finishRun(db, clock, 'd1', { ok: true, objectKey: 'prod/habar-20260301T020000Z.db.enc' });
  await db.insertInto('backup_runs').values({ id: 'u1', kind: 'upload', status: 'running', started_at: '2026-03-02T02:00:00.000Z', bytes_done: 5 * 1048576, bytes_total: 20 * 1048576 }).execute();
  const page = await (await app.request('/', { jar: admin })).text();
  assert.match(page, /Последняя успешная проверка восстановления: /);
  assert.match(page, /Выгрузка: отправлено 5\.0 MB \(файл данных 20\.0 MB/);
  assert.match(page, /hx-get="\/settings\/remote-backup\?compact=1"/, 'the line refreshes itself while the upload runs');
  const part = await app.request('/settings/remote-backup?compact=1', { jar: admin, headers: { 'HX-Request': 'true' } });
  assert.is(part.status, 200);
  assert.match(await part.text(), /id="remote-backup"/);
  assert.is(await hasSetting(db, 'backup.remote.enabled'), false);
});

test('each client asks for the second location on its data map (the transfer register); the settings warn about those who have not', async ({ app, admin, s3 }) => {
  const { buildClient, csrfFrom } = await import('../../testing/test-app.ts');
  const a = await buildClient(app, { slug: 'asks' });
  const b = await buildClient(app, { slug: 'silent' });
  assert.is((await postForm(app, admin, '/settings', form(s3))).status, 303);
  const warning = async () => /id="clients-not-asked"[^>]*>([^<]*)</.exec(await (await app.request('/settings', { jar: admin })).text())?.[1] ?? '';
  assert.match(await warning(), a.name);
  assert.match(await warning(), b.name);
  const owner = await loginAs(app, (await buildUser(app, 'owner', a.id)).email, TEST_PASSWORD);
  const map = await (await app.request(`/clients/${a.slug}/data-map`, { jar: owner })).text();
  assert.match(map, 'Клиент не просил хранить резервные копии во втором месте');
  const asked = await postForm(app, owner, `/clients/${a.slug}/data-map/second-location`, { action: 'request' }, csrfFrom(map));
  assert.is(asked.status, 303);
  assert.match(await (await app.request(`/clients/${a.slug}/data-map`, { jar: owner })).text(), 'Клиент попросил хранить зашифрованные резервные копии во втором месте');
  const [row] = await app.ctx.db.selectFrom('transfer_consents').selectAll().where('client_id', '=', a.id).execute();
  assert.equal([row.provider, row.destination, row.withdrawn_at], ['offsite_backup', new URL(s3.endpoint).host, null]);
  assert.not.match(await warning(), a.name, 'a client that asked is no longer named');
  assert.match(await warning(), b.name);
  // An agent may not ask for the client, nor may another client's owner.
  const agent = await loginAs(app, (await buildUser(app, 'agent', b.id)).email, TEST_PASSWORD);
  const agentPage = await (await app.request('/', { jar: agent })).text();
  assert.is((await postForm(app, agent, `/clients/${b.slug}/data-map/second-location`, { action: 'request' }, csrfFrom(agentPage))).status, 403);
  const other = await postForm(app, owner, `/clients/${b.slug}/data-map/second-location`, { action: 'request' }, csrfFrom(map));
  assert.ok([403, 404].includes(other.status), String(other.status));
  assert.is((await app.ctx.db.selectFrom('transfer_consents').select('id').where('client_id', '=', b.id).execute()).length, 0);
  // Withdrawn: named again.
  assert.is((await postForm(app, owner, `/clients/${a.slug}/data-map/second-location`, { action: 'withdraw' }, csrfFrom(map))).status, 303);
  assert.match(await warning(), a.name);
});

test.run();
