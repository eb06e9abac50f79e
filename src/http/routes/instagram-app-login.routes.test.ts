import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, postForm, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { metaSignature, type GraphStandIn } from '../../testing/graph-stand-in.ts';
import { deliverToApp, igDelivery, igMessage, startMeta } from '../../testing/instagram-fixture.ts';
import { setSettings } from '../../settings/index.ts';
import { SYSTEM_ACTOR } from '../../audit/index.ts';
import { sendMessage } from '../../messaging/index.ts';
import { readCredentials } from '../../channels/index.ts';
import type { Client } from '../../tenants/index.ts';
import { translator } from '../../../views/i18n/index.ts';

// "Instagram API with Instagram Login", for an account without a Facebook Page, end to end: the
// button, instagram.com's dialog (the stand-in's), the code exchange at api.instagram.com, the
// long-lived token, the account's webhooks (signed with the Instagram app's secret), replies
// through graph.instagram.com, and the token's refresh before it expires.

interface Ctx { app: TestApp; graph: GraphStandIn; client: Client; owner: CookieJar }
const test = suite<Ctx>('connecting Instagram with Instagram Login');
const t = translator('ru');
const IG_SECRET = 'instagram-app-secret';
const TEA = { igId: '17841400000000201', username: 'tea.kz', token: 'IGAA-long-lived' };
const DAY = 24 * 3600_000;

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  ctx.graph.instagramAppSecret = IG_SECRET;
  ctx.graph.instagramLogin = { ...TEA };
  ctx.graph.addAccount(ctx.graph.instagramLogin);
  await setSettings(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.clock, { 'meta.instagram_app_id': '99887766', 'meta.instagram_app_secret': IG_SECRET }, null, SYSTEM_ACTOR);
  ctx.client = await buildClient(ctx.app);
  ctx.owner = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', ctx.client.id)).email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

async function connect(ctx: Ctx, choice: 'allow' | 'deny' = 'allow'): Promise<Response> {
  const page = await (await ctx.app.request(`/clients/${ctx.client.slug}/channels`, { jar: ctx.owner })).text();
  const start = await postForm(ctx.app, ctx.owner, `/clients/${ctx.client.slug}/channels/instagram/instagram-login`, {}, csrfFrom(page));
  assert.is(start.status, 303);
  const dialog = new URL(start.headers.get('location')!);
  assert.equal([dialog.pathname, dialog.searchParams.get('client_id')], ['/oauth/authorize', '99887766']);
  assert.is(dialog.searchParams.get('redirect_uri'), `${ctx.app.ctx.publicUrl()}/oauth/instagram-login/callback`);
  const html = await (await fetch(dialog)).text();
  const back = new RegExp(`id="${choice}" href="([^"]+)"`).exec(html)![1].replaceAll('&amp;', '&');
  return ctx.app.request(back, { jar: ctx.owner });
}

test('allow: the account is connected with a long-lived token, its webhooks (signed by the Instagram app) arrive, replies go through graph.instagram.com', async (ctx) => {
  const res = await connect(ctx);
  assert.is(res.status, 303);
  const row = await ctx.app.ctx.db.selectFrom('channel_accounts').selectAll().where('kind', '=', 'instagram').executeTakeFirstOrThrow();
  assert.equal([row.name, row.status, JSON.parse(row.settings).login], ['@tea.kz', 'connected', 'instagram']);
  assert.not.ok(row.credentials!.includes(TEA.token));
  assert.ok(ctx.graph.subscriptions.get(TEA.igId)?.includes('messages'));
  const exchange = ctx.graph.requests.find((r) => r.method === 'POST' && r.path === '/oauth/access_token');
  assert.equal([exchange?.form?.grant_type, exchange?.form?.client_id], ['authorization_code', '99887766']);

  const raw = igDelivery([igMessage('7770001', 'Чай есть?')], TEA.igId).replaceAll('17841400000000001', TEA.igId);
  assert.is((await deliverToApp(ctx.app, raw, metaSignature(IG_SECRET, raw))).status, 200);
  const conv = await ctx.app.ctx.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
  await sendMessage(ctx.app.ctx, ctx.client.id, conv.id, { text: 'Есть', authorKind: 'agent' });
  await ctx.app.ctx.jobs.drain();
  const send = ctx.graph.requests.find((r) => r.path === `/${TEA.igId}/messages`);
  assert.ok(send, 'sent to the account on the Instagram host');
  assert.is(send!.query.appsecret_proof, undefined);
  assert.is(ctx.graph.sent.at(-1)?.igId, TEA.igId);
});

test('the long-lived token is refreshed by the upkeep before it expires', async (ctx) => {
  await connect(ctx);
  const id = (await ctx.app.ctx.db.selectFrom('channel_accounts').select('id').executeTakeFirstOrThrow()).id;
  (ctx.app.clock as ManualClock).advance(55 * DAY);
  await ctx.app.ctx.jobs.schedulePeriodic();
  await ctx.app.ctx.jobs.drain();
  const creds = JSON.parse((await readCredentials(ctx.app.ctx.db, ctx.app.ctx.vault, id))!);
  assert.ok(ctx.graph.requests.some((r) => r.path === '/refresh_access_token'));
  assert.is.not(creds.access_token, TEA.token);
  assert.ok(new Date(creds.expires_at).getTime() - ctx.app.clock.now().getTime() > 50 * DAY);
});

test('a cancelled dialog or a forged state connects nothing, with the reason in the person\'s language', async (ctx) => {
  const denied = await connect(ctx, 'deny');
  assert.is(denied.status, 400);
  assert.match(await denied.text(), t('instagram.problem.denied'));
  const forged = await ctx.app.request('/oauth/instagram-login/callback?code=c&state=forged', { jar: ctx.owner });
  assert.is(forged.status, 400);
  assert.match(await forged.text(), t('instagram.problem.bad_state'));
  assert.is((await ctx.app.ctx.db.selectFrom('channel_accounts').select('id').where('kind', '=', 'instagram').execute()).length, 0);
});

test.run();
