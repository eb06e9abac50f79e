import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { DEMO_SLUG, findClient, type Client } from '../../tenants/index.ts';
import { translator } from '../../../views/i18n/index.ts';

interface Ctx { app: TestApp; demo: Client; owner: CookieJar; agent: CookieJar; outsider: CookieJar }
const test = suite<Ctx>('channels screen');
const t = translator('ru');
const PAGE = `/clients/${DEMO_SLUG}/channels`;

test.before(async (ctx) => {
  ctx.app = await makeTestApp({ flags: { 'public-url': 'https://habar.example.kz' } });
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  ctx.owner = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', ctx.demo.id)).email, TEST_PASSWORD);
  ctx.agent = await loginAs(ctx.app, (await buildUser(ctx.app, 'agent', ctx.demo.id)).email, TEST_PASSWORD);
  const other = await buildClient(ctx.app);
  ctx.outsider = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', other.id)).email, TEST_PASSWORD);
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

test('the demo client’s sandbox is listed as connected, with its customer chat link built from the public URL', async ({ app, owner, demo }) => {
  const html = await (await app.request(PAGE, { jar: owner })).text();
  const sandbox = await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).executeTakeFirstOrThrow();
  const link = `https://habar.example.kz/c/${sandbox.public_token}`;
  assert.match(html, `<code class="url">${link}</code>`);
  assert.match(html, `href="${link}" target="_blank"`);
  assert.match(html, t('channel.status.connected'));
  assert.match(html, t('channel.kind.sandbox'));
});

test('a channel’s status and last error are shown as the channel reports them', async ({ app, owner, demo }) => {
  const ch = await app.ctx.db.selectFrom('channel_accounts').selectAll().where('client_id', '=', demo.id).executeTakeFirstOrThrow();
  await app.ctx.channels.host.setStatus(ch.id, 'reconnect_needed', 'Stream errored (conflict)');
  const html = await (await app.request(`${PAGE}?part=table`, { jar: owner })).text();
  assert.not.match(html, '<html');
  assert.match(html, t('channel.status.reconnect_needed'));
  assert.match(html, 'Stream errored (conflict)');
  await app.ctx.channels.host.setStatus(ch.id, 'connected', null);
});

test('an owner creates another sandbox channel with its own link; a bad name is refused and nothing is created', async ({ app, owner, demo }) => {
  const count = async () => (await app.ctx.db.selectFrom('channel_accounts').select('id').where('client_id', '=', demo.id).execute()).length;
  const before = await count();
  const csrf = csrfFrom(await (await app.request(PAGE, { jar: owner })).text());
  const bad = await postForm(app, owner, `${PAGE}/sandbox`, { name: '   ' }, csrf);
  assert.is(bad.status, 422);
  assert.is(await count(), before);
  const ok = await postForm(app, owner, `${PAGE}/sandbox`, { name: 'Сайт: тест' }, csrf);
  assert.is(ok.status, 303);
  assert.is(await count(), before + 1);
  const html = await (await app.request(PAGE, { jar: owner })).text();
  assert.match(html, 'Сайт: тест');
  assert.is((html.match(/<code class="url">https:\/\/habar\.example\.kz\/c\/[A-Za-z0-9_-]+<\/code>/g) ?? []).length, before + 1);
});

test('an agent sees the channels but cannot add one; another client’s member gets 404', async ({ app, agent, outsider }) => {
  assert.is((await app.request(PAGE, { jar: agent })).status, 200);
  const csrf = csrfFrom(await (await app.request(PAGE, { jar: agent })).text());
  assert.is((await postForm(app, agent, `${PAGE}/sandbox`, { name: 'x' }, csrf)).status, 403);
  assert.is((await app.request(PAGE, { jar: outsider })).status, 404);
  const csrf2 = csrfFrom(await (await app.request('/', { jar: outsider })).text());
  assert.is((await postForm(app, outsider, `${PAGE}/sandbox`, { name: 'x' }, csrf2)).status, 404);
});

test.run();
