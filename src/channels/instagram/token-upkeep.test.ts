import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { EXPIRED_TOKEN, type GraphStandIn } from '../../testing/graph-stand-in.ts';
import { APP_SECRET, IG_ACCOUNT, startMeta } from '../../testing/instagram-fixture.ts';
import { createChannelAccount, readCredentials, type ChannelAccount } from '../index.ts';

// The channels' periodic upkeep: a Facebook Login account's long-lived user token is exchanged
// for a fresh one before it expires, and a token Meta no longer accepts turns the channel to
// "reconnect needed" (the banner and the notices follow the status).

interface Ctx { app: TestApp; graph: GraphStandIn; account: ChannelAccount }
const test = suite<Ctx>('Instagram token upkeep');
const DAY = 24 * 3600_000;

async function buildFacebookAccount(app: TestApp, clientId: string, expiresInMs: number): Promise<ChannelAccount> {
  const { db, clock, vault } = app.ctx;
  return createChannelAccount(db, clock, vault, {
    clientId, kind: 'instagram', name: '@coffee.kz', status: 'connected',
    settings: { ig_account_id: IG_ACCOUNT.igId, username: IG_ACCOUNT.username, login: 'facebook', page_id: '104000000000009' },
    credentials: JSON.stringify({ access_token: IG_ACCOUNT.token, user_token: 'long-user-old', expires_at: new Date(clock.now().getTime() + expiresInMs).toISOString() }),
  }, app.ctx.channels.registry);
}

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  ctx.graph.appSecret = APP_SECRET;
  ctx.graph.addUserToken('long-user-old');
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

/** What the periodic job does every few hours (the job runner's workers are off in tests). */
async function upkeep(app: TestApp): Promise<void> {
  await app.ctx.jobs.schedulePeriodic();
  await app.ctx.jobs.drain();
}

const stored = async (ctx: Ctx) => {
  const row = await ctx.app.ctx.db.selectFrom('channel_accounts').selectAll().where('id', '=', ctx.account.id).executeTakeFirstOrThrow();
  const creds = JSON.parse((await readCredentials(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.account.id))!);
  return { status: row.status, lastError: row.last_error, creds };
};

test('a user token that expires within days is exchanged for a fresh one, stored sealed; the channel stays connected', async (ctx) => {
  ctx.account = await buildFacebookAccount(ctx.app, (await buildClient(ctx.app)).id, 5 * DAY);
  await upkeep(ctx.app);
  const s = await stored(ctx);
  assert.is(s.status, 'connected');
  assert.ok(s.creds.user_token.startsWith('long-user-') && s.creds.user_token !== 'long-user-old');
  assert.ok(new Date(s.creds.expires_at).getTime() - ctx.app.clock.now().getTime() > 50 * DAY);
  const exchange = ctx.graph.requests.find((r) => r.query.grant_type === 'fb_exchange_token');
  assert.is(exchange?.query.fb_exchange_token, 'long-user-old');
});

test('a token far from expiry is only checked, not exchanged', async (ctx) => {
  ctx.account = await buildFacebookAccount(ctx.app, (await buildClient(ctx.app)).id, 40 * DAY);
  await upkeep(ctx.app);
  assert.is((await stored(ctx)).creds.user_token, 'long-user-old');
  assert.not.ok(ctx.graph.requests.some((r) => r.path === '/oauth/access_token'));
  assert.ok(ctx.graph.requests.some((r) => r.path === `/${IG_ACCOUNT.igId}`), 'the token was checked');
});

test('a token Meta no longer accepts turns the channel to reconnect needed, with Meta\'s reason', async (ctx) => {
  ctx.account = await buildFacebookAccount(ctx.app, (await buildClient(ctx.app)).id, 40 * DAY);
  ctx.graph.fail(new RegExp(`^/${IG_ACCOUNT.igId}$`), EXPIRED_TOKEN);
  await upkeep(ctx.app);
  const s = await stored(ctx);
  assert.equal([s.status, s.lastError], ['reconnect_needed', EXPIRED_TOKEN.message]);
  // Meta down for a moment is not the token's fault: the status stays.
  await ctx.app.ctx.db.updateTable('channel_accounts').set({ status: 'connected', last_error: null }).where('id', '=', ctx.account.id).execute();
  for (let i = 0; i < 3; i++) ctx.graph.fail(new RegExp(`^/${IG_ACCOUNT.igId}$`), { status: 503 });
  (ctx.app.clock as ManualClock).advance(7 * 3600_000);
  const asked = ctx.graph.requests.length;
  await upkeep(ctx.app);
  assert.is(ctx.graph.requests.length - asked, 3, 'asked, and retried');
  assert.is((await stored(ctx)).status, 'connected');
});

test.run();
