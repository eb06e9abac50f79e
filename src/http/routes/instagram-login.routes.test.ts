import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import type { GraphStandIn } from '../../testing/graph-stand-in.ts';
import { APP_SECRET, startMeta } from '../../testing/instagram-fixture.ts';
import type { Client } from '../../tenants/index.ts';
import { setSetting } from '../../settings/index.ts';
import { translator } from '../../../views/i18n/index.ts';

// An owner connects an Instagram account with Facebook Login, end to end: the button, the
// Graph stand-in's consent page, the callback with its code, the code → token exchanges, the
// Pages and their Instagram accounts, the webhook subscription; and every way it must fail.

interface Ctx { app: TestApp; graph: GraphStandIn; client: Client; owner: CookieJar; ownerEmail: string }
const test = suite<Ctx>('connecting Instagram with Facebook Login');
const t = translator('ru');
const PAGE_A = { pageId: '104000000000001', name: 'Coffee Almaty', pageToken: 'EAAG-page-token-a', igId: '17841400000000101', username: 'coffee.almaty' };
const PAGE_B = { pageId: '104000000000002', name: 'Coffee Astana', pageToken: 'EAAG-page-token-b', igId: '17841400000000102', username: 'coffee.astana' };

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  ctx.graph.appSecret = APP_SECRET;
  ctx.client = await buildClient(ctx.app);
  ctx.ownerEmail = (await buildUser(ctx.app, 'owner', ctx.client.id)).email;
  ctx.owner = await loginAs(ctx.app, ctx.ownerEmail, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

const channelsPath = (ctx: Ctx) => `/clients/${ctx.client.slug}/channels`;
const instagramRows = (ctx: Ctx) => ctx.app.ctx.db.selectFrom('channel_accounts').selectAll().where('kind', '=', 'instagram').execute();

/** Presses "Connect Instagram": the redirect to Facebook's dialog (here the stand-in's). */
async function pressConnect(ctx: Ctx, jar = ctx.owner): Promise<URL> {
  const page = await (await ctx.app.request(channelsPath(ctx), { jar })).text();
  assert.match(page, t('instagram.connect'));
  const res = await postForm(ctx.app, jar, `${channelsPath(ctx)}/instagram/login`, {}, csrfFrom(page));
  assert.is(res.status, 303);
  return new URL(res.headers.get('location')!);
}

/** What the person clicks on the consent page ("allow" or "deny"): the callback URL it leads to. */
async function consent(dialog: URL, choice: 'allow' | 'deny'): Promise<string> {
  const html = await (await fetch(dialog)).text();
  return new RegExp(`id="${choice}" href="([^"]+)"`).exec(html)![1].replaceAll('&amp;', '&');
}

test('one Page with an Instagram account: allow, and it is connected, subscribed to messages, its Page token sealed', async (ctx) => {
  ctx.graph.addPage(PAGE_A);
  const dialog = await pressConnect(ctx);
  assert.is(dialog.origin, ctx.graph.url);
  assert.equal([dialog.pathname, dialog.searchParams.get('client_id'), dialog.searchParams.get('redirect_uri')], ['/v21.0/dialog/oauth', '1234567890', `${ctx.app.ctx.publicUrl()}/oauth/instagram/callback`]);
  assert.match(dialog.searchParams.get('scope')!, 'instagram_manage_messages');
  const back = await ctx.app.request(await consent(dialog, 'allow'), { jar: ctx.owner });
  assert.is(back.status, 303);
  assert.match(back.headers.get('location')!, channelsPath(ctx));
  const [row] = await instagramRows(ctx);
  assert.equal([row.client_id, row.name, row.status, JSON.parse(row.settings).page_id], [ctx.client.id, '@coffee.almaty', 'connected', PAGE_A.pageId]);
  assert.not.ok(row.credentials!.includes(PAGE_A.pageToken));
  assert.ok(ctx.graph.requests.some((r) => r.method === 'POST' && r.path === `/${PAGE_A.pageId}/subscribed_apps`));
  const exchange = ctx.graph.requests.filter((r) => r.path === '/oauth/access_token');
  assert.equal(exchange.map((r) => r.query.grant_type ?? 'code'), ['code', 'fb_exchange_token'], 'the short token is made long-lived');
  assert.not.ok(ctx.app.logs.join('').includes(PAGE_A.pageToken));
  assert.match(await (await ctx.app.request(back.headers.get('location')!, { jar: ctx.owner })).text(), t('instagram.connected'));
});

test('several accounts: a picker, and the one picked is connected', async (ctx) => {
  ctx.graph.addPage(PAGE_A).addPage(PAGE_B);
  const picker = await ctx.app.request(await consent(await pressConnect(ctx), 'allow'), { jar: ctx.owner });
  assert.is(picker.status, 200);
  const html = await picker.text();
  assert.match(html, '@coffee.almaty');
  assert.match(html, '@coffee.astana');
  assert.is((await instagramRows(ctx)).length, 0, 'nothing connected before the pick');
  const state = /name="state" value="([^"]+)"/.exec(html)![1];
  const res = await postForm(ctx.app, ctx.owner, `${channelsPath(ctx)}/instagram/pick`, { state, ig_account_id: PAGE_B.igId }, csrfFrom(html));
  assert.is(res.status, 303);
  assert.equal((await instagramRows(ctx)).map((r) => r.name), ['@coffee.astana']);
});

test('a restart between Facebook\'s dialog and the callback, and again before the pick, loses nothing; the tokens wait sealed', async (ctx) => {
  ctx.graph.addPage(PAGE_A).addPage(PAGE_B);
  const callback = await consent(await pressConnect(ctx), 'allow');
  const restart = async () => {
    await ctx.app.close();
    ctx.app = await makeTestApp({ seed: false, dir: ctx.app.dir, clock: ctx.app.clock });
  };
  await restart();
  const picker = await ctx.app.request(callback, { jar: ctx.owner });
  assert.is(picker.status, 200);
  const html = await picker.text();
  assert.match(html, '@coffee.astana');
  const row = await ctx.app.ctx.db.selectFrom('pending_logins').selectAll().executeTakeFirstOrThrow();
  assert.not.ok(row.login!.includes(PAGE_B.pageToken), 'the Page tokens are sealed while the person picks');
  assert.not.ok(callback.includes(row.state_hash), 'only a hash of the state is stored');
  await restart();
  const state = /name="state" value="([^"]+)"/.exec(html)![1];
  const res = await postForm(ctx.app, ctx.owner, `${channelsPath(ctx)}/instagram/pick`, { state, ig_account_id: PAGE_B.igId }, csrfFrom(html));
  assert.is(res.status, 303);
  assert.equal((await instagramRows(ctx)).map((r) => r.name), ['@coffee.astana']);
  assert.is((await ctx.app.ctx.db.selectFrom('pending_logins').select('state_hash').execute()).length, 0, 'a finished login is gone');
});

test('a login not finished within 15 minutes is refused', async (ctx) => {
  ctx.graph.addPage(PAGE_A);
  const callback = await consent(await pressConnect(ctx), 'allow');
  (ctx.app.clock as import('../../lib/clock.ts').ManualClock).advance(16 * 60_000);
  const late = await ctx.app.request(callback, { jar: ctx.owner });
  assert.is(late.status, 400);
  assert.match(await late.text(), t('instagram.problem.bad_state'));
  assert.is((await instagramRows(ctx)).length, 0);
});

test('a forged state, or one begun by another session, is refused with a clear page in the person\'s language; nothing connected', async (ctx) => {
  ctx.graph.addPage(PAGE_A);
  const forged = await ctx.app.request('/oauth/instagram/callback?code=code-1&state=forged-state-value', { jar: ctx.owner });
  assert.is(forged.status, 400);
  assert.match(await forged.text(), t('instagram.problem.bad_state'));
  // Another member of the same client began a login; its callback URL in this owner's browser is refused.
  const other = await loginAs(ctx.app, (await buildUser(ctx.app, 'representative', ctx.client.id)).email, TEST_PASSWORD);
  const theirs = await consent(await pressConnect(ctx, other), 'allow');
  const stolen = await ctx.app.request(theirs, { jar: ctx.owner });
  assert.is(stolen.status, 400);
  assert.is((await instagramRows(ctx)).length, 0);
  assert.not.ok(ctx.graph.requests.some((r) => r.path === '/oauth/access_token'), 'the code was never exchanged');
});

test('cancelling on Facebook\'s dialog, or a login with no Instagram account, says so and connects nothing', async (ctx) => {
  const denied = await ctx.app.request(await consent(await pressConnect(ctx), 'deny'), { jar: ctx.owner });
  assert.is(denied.status, 400);
  assert.match(await denied.text(), t('instagram.problem.denied'));
  const none = await ctx.app.request(await consent(await pressConnect(ctx), 'allow'), { jar: ctx.owner });
  assert.is(none.status, 400);
  assert.match(await none.text(), t('instagram.problem.no_accounts'));
  assert.is((await instagramRows(ctx)).length, 0);
});

test('the channels page says how messages arrive: polling, and why, while the public URL is not HTTPS', async (ctx) => {
  const page = await (await ctx.app.request(channelsPath(ctx), { jar: ctx.owner })).text();
  assert.match(page, 'data-mode="polling"');
  assert.match(page, t('instagram.delivery.polling.not_https'));
});

test('an agent cannot start it, and without the Meta app configured the page says what the operator must do', async (ctx) => {
  const agent = await loginAs(ctx.app, (await buildUser(ctx.app, 'agent', ctx.client.id)).email, TEST_PASSWORD);
  const page = await (await ctx.app.request(channelsPath(ctx), { jar: agent })).text();
  assert.not.match(page, 'instagram/login');
  const res = await postForm(ctx.app, agent, `${channelsPath(ctx)}/instagram/login`, {}, csrfFrom(page));
  assert.is(res.status, 403);
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.clock, 'meta.app_id', null);
  const ownerPage = await (await ctx.app.request(channelsPath(ctx), { jar: ctx.owner })).text();
  const unset = await postForm(ctx.app, ctx.owner, `${channelsPath(ctx)}/instagram/login`, {}, csrfFrom(ownerPage));
  assert.is(unset.status, 409);
  assert.match(await unset.text(), t('instagram.problem.not_configured'));
});

test.run();
