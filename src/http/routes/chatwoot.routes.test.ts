import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, buildClient, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { quietSandbox } from '../../testing/messaging-fixtures.ts';
import { ChatwootStandIn } from '../../testing/chatwoot-stand-in.ts';
import { setSetting } from '../../settings/index.ts';
import { getChatwootSettings } from '../../chatwoot/index.ts';
import { getClient, type Client } from '../../tenants/index.ts';

const test = suite<{ app: TestApp; cw: ChatwootStandIn; client: Client; owner: CookieJar }>('the Chatwoot screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'chatwoot.allow_private_targets', 'true');
  ctx.cw = await new ChatwootStandIn().start();
  const ch = await quietSandbox(ctx.app);
  ctx.client = await getClient(ctx.app.ctx.db, ch.clientId);
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  await ctx.app.ctx.db.updateTable('users').set({ language: 'en' }).where('id', '=', owner.id).execute();
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.cw.stop();
  await ctx.app.cleanup();
});

const base = (c: Client) => `/clients/${c.slug}/chatwoot`;

async function connect(ctx: { app: TestApp; client: Client; owner: CookieJar }, fields: Record<string, string>) {
  const page = await (await ctx.app.request(base(ctx.client), { jar: ctx.owner })).text();
  return postForm(ctx.app, ctx.owner, `${base(ctx.client)}/connect`, { resume_ai_on_resolve: '1', ...fields }, csrfFrom(page));
}

test('the owner connects with the form: a refused token shows Chatwoot’s reason at the field; then it shows connected', async (ctx) => {
  const { app, cw, client, owner } = ctx;
  const first = await (await app.request(base(client), { jar: owner })).text();
  assert.match(first, /not connected/);
  const bad = await connect(ctx, { url: cw.url, account_id: String(cw.accountId), api_token: 'wrong' });
  assert.is(bad.status, 422);
  const badPage = await bad.text();
  assert.match(badPage, /Chatwoot refused the connection: You need to sign in or sign up before continuing\./);
  assert.not.match(badPage, /value="wrong"/, 'a token is never echoed into the page');
  assert.is((await getChatwootSettings(app.ctx.db, client.id)).connectedAt, null);
  const ok = await connect(ctx, { url: cw.url, account_id: String(cw.accountId), api_token: cw.token, sign_agent_name: '1' });
  assert.is(ok.status, 303);
  const page = await (await app.request(base(client), { jar: owner })).text();
  assert.match(page, /class="badge on">connected/);
  assert.match(page, /data-testid="chatwoot-backlog">0/);
  assert.not.match(page, new RegExp(cw.token));
  const s = await getChatwootSettings(app.ctx.db, client.id);
  assert.equal([s.signAgentName, s.resumeAiOnResolve, s.apiTokenSet], [true, true, true]);
  // Connecting again keeps the stored token (the field left empty) and reuses the inbox.
  assert.is((await connect(ctx, { url: cw.url, account_id: String(cw.accountId) })).status, 303);
  assert.is(cw.inboxes.length, 1);
  // Re-sync asks for a whole number of hours.
  const page2 = await (await app.request(base(client), { jar: owner })).text();
  const resync = await postForm(app, owner, `${base(client)}/resync`, { hours: 'lots' }, csrfFrom(page2));
  assert.is(resync.status, 422);
  assert.is((await postForm(app, owner, `${base(client)}/resync`, { hours: '6' }, csrfFrom(page2))).status, 303);
});

test('agents do not see the screen; another client’s owner gets not found; a form without the CSRF token is refused', async (ctx) => {
  const { app, client } = ctx;
  const agent = await buildUser(app, 'agent', client.id);
  const agentJar = await loginAs(app, agent.email, TEST_PASSWORD);
  assert.is((await app.request(base(client), { jar: agentJar })).status, 403);
  const other = await buildClient(app);
  const stranger = await buildUser(app, 'owner', other.id);
  const strangerJar = await loginAs(app, stranger.email, TEST_PASSWORD);
  assert.is((await app.request(base(client), { jar: strangerJar })).status, 404);
  const noCsrf = await app.request(`${base(client)}/connect`, { method: 'POST', jar: ctx.owner, body: new URLSearchParams({ url: ctx.cw.url }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(noCsrf.status, 403);
  assert.is(ctx.cw.calls.length, 0, 'Chatwoot was never called');
});

test.run();
