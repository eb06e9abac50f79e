import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant } from '../../../testing/api-client.ts';
import { EXPIRED_TOKEN, type GraphStandIn } from '../../../testing/graph-stand-in.ts';
import { IG_ACCOUNT, IG_PAGE, startMeta } from '../../../testing/instagram-fixture.ts';

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant; graph: GraphStandIn }>('connecting an Instagram account with a token through the API');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  ctx.graph = await startMeta(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

const connect = (t: Tenant, token = IG_ACCOUNT.token, igId = IG_ACCOUNT.igId) =>
  t.api('POST', '/api/v1/channels', { kind: 'instagram', ig_account_id: igId, access_token: token });

test('a working token connects the account: 201 with @username, subscribed to message webhooks, the token sealed', async ({ app, t, graph }) => {
  const res = await connect(t);
  assert.is(res.status, 201);
  assert.equal([res.body.kind, res.body.name, res.body.status], ['instagram', '@coffee.kz', 'connected']);
  assert.ok(graph.subscriptions.get(IG_ACCOUNT.igId)?.includes('messages'));
  assert.ok(graph.requests.some((r) => r.method === 'POST' && r.path === `/${IG_PAGE.pageId}/subscribed_apps` && r.query.access_token === IG_PAGE.pageToken), 'the linked Page is subscribed, with its own token');
  const row = await app.ctx.db.selectFrom('channel_accounts').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
  assert.not.ok(row.credentials!.includes(IG_ACCOUNT.token), 'the token is sealed');
  const [audit] = await app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'channel.created').execute();
  assert.is(audit.target_id, res.body.id);
  assert.not.ok(app.logs.join('').includes(IG_ACCOUNT.token), 'never in a log');
  const listed = (await t.api('GET', '/api/v1/channels')).body.data as Array<{ id: string }>;
  assert.ok(listed.some((c) => c.id === res.body.id));
});

test('a token Meta refuses is 400 invalid_token on access_token quoting Graph, and nothing is stored', async ({ app, t, graph }) => {
  const wrong = await connect(t, 'EAAG-not-a-real-token');
  assert.equal([wrong.status, wrong.body.error.code, wrong.body.error.field], [400, 'invalid_token', 'access_token']);
  assert.match(wrong.body.error.message, 'Invalid OAuth access token');
  graph.fail(/^\/\d+$/, EXPIRED_TOKEN);
  const expired = await connect(t);
  assert.equal([expired.status, expired.body.error.code], [400, 'invalid_token']);
  assert.match(expired.body.error.message, 'Session has expired');
  const rows = await app.ctx.db.selectFrom('channel_accounts').select('id').where('kind', '=', 'instagram').execute();
  assert.is(rows.length, 0);
});

test('a customer\'s message is answered through the linked Page with the Page\'s token', async ({ app, t, graph }) => {
  const res = await connect(t);
  assert.is(res.status, 201);
  const { igDelivery, igMessage, deliverToApp } = await import('../../../testing/instagram-fixture.ts');
  assert.is((await deliverToApp(app, igDelivery([igMessage('5551001', 'Hi!')]))).status, 200);
  const conversation = (await t.api('GET', '/api/v1/conversations')).body.data[0] as { id: string };
  const sent = await t.api('POST', `/api/v1/conversations/${conversation.id}/messages`, { text: 'Hello from Coffee KZ' });
  assert.is(sent.status, 201);
  await app.ctx.jobs.drain();
  assert.is(graph.sent.length, 1);
  const call = graph.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages'))!;
  assert.equal([call.path, call.query.access_token], [`/${IG_PAGE.pageId}/messages`, IG_PAGE.pageToken]);
});

test('a token that opens the account but reaches no Facebook Page linked to it is 400 invalid_token, and nothing is stored', async ({ app, t, graph }) => {
  graph.addAccount({ igId: '17841400000000777', username: 'lonely.kz', token: 'EAAG-no-page-token' });
  const res = await connect(t, 'EAAG-no-page-token', '17841400000000777');
  assert.equal([res.status, res.body.error.code, res.body.error.field], [400, 'invalid_token', 'access_token']);
  assert.match(res.body.error.message, 'Facebook Page');
  assert.is((await app.ctx.db.selectFrom('channel_accounts').select('id').where('kind', '=', 'instagram').execute()).length, 0);
});

test('an account any client already holds is 409 already_connected', async ({ app, t }) => {
  assert.is((await connect(t)).status, 201);
  const other = await buildApiTenant(app, 'other');
  const again = await connect(other);
  assert.equal([again.status, again.body.error.code], [409, 'already_connected']);
  assert.equal([(await connect(t)).status], [409]);
});

test('bad fields name themselves; an unknown kind is still refused on kind', async ({ t }) => {
  const badId = await connect(t, IG_ACCOUNT.token, 'not-a-number');
  assert.equal([badId.status, badId.body.error.field], [400, 'ig_account_id']);
  const missing = await t.api('POST', '/api/v1/channels', { kind: 'instagram', ig_account_id: IG_ACCOUNT.igId });
  assert.equal([missing.status, missing.body.error.field], [400, 'access_token']);
  const extra = await t.api('POST', '/api/v1/channels', { kind: 'instagram', ig_account_id: IG_ACCOUNT.igId, access_token: 'x', page: 1 });
  assert.equal([extra.status, extra.body.error.code], [400, 'unknown_field']);
});

test('Meta down is 502 meta_unavailable, nothing stored', async ({ app, t, graph }) => {
  for (let i = 0; i < 3; i++) graph.fail(/^\/\d+$/, { status: 503 });
  const res = await connect(t);
  assert.equal([res.status, res.body.error.code], [502, 'meta_unavailable']);
  assert.is((await app.ctx.db.selectFrom('channel_accounts').select('id').where('kind', '=', 'instagram').execute()).length, 0);
});

test.run();
