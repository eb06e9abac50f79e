import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant, auditRowsOf, type ApiTenant } from '../../../testing/api-client.ts';
import { ChatwootStandIn } from '../../../testing/chatwoot-stand-in.ts';
import { setSetting } from '../../../settings/index.ts';

const test = suite<{ app: TestApp; t: ApiTenant; cw: ChatwootStandIn }>('GET/PUT /api/v1/settings/chatwoot');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  await ctx.app.listen();
  ctx.cw = await new ChatwootStandIn().start();
  ctx.t = await buildApiTenant(ctx.app, 'acme');
});
test.after.each(async (ctx) => {
  await ctx.cw.stop();
  await ctx.app.cleanup();
});

const allowPrivate = (app: TestApp) => setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'chatwoot.allow_private_targets', 'true');

test('reads the documented fields; unset it is not connected and resolving resumes the AI', async ({ t }) => {
  const r = await t.api('GET', '/api/v1/settings/chatwoot');
  assert.is(r.status, 200);
  assert.equal(r.body, {
    url: null, account_id: null, api_token_set: false, webhook_secret_set: false, sign_agent_name: false, resume_ai_on_resolve: true,
    connected: false, signing: 'unsigned', last_error: null, last_error_at: null,
  });
});

test('a PUT with good credentials connects (one inbox per channel); the secrets are write-only and never echoed', async ({ app, t, cw }) => {
  await allowPrivate(app);
  const r = await t.api('PUT', '/api/v1/settings/chatwoot', { url: `${cw.url}/`, account_id: cw.accountId, api_token: cw.token, webhook_secret: 'pasted-key', sign_agent_name: true });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.is(r.body.url, cw.url);
  assert.is(r.body.connected, true);
  assert.is(r.body.api_token_set, true);
  assert.is(r.body.webhook_secret_set, true);
  assert.is(r.body.sign_agent_name, true);
  assert.not.ok(JSON.stringify(r.body).includes(cw.token));
  assert.is(cw.inboxes.length, 1);
  const [audit] = await auditRowsOf(app, 'chatwoot.connected');
  assert.ok(audit, 'audited');
  assert.not.ok(String(audit.details).includes(cw.token), 'the audit names fields, never values');
  // Only the fields present change; an option alone is not checked against Chatwoot.
  cw.mode = 'down';
  const r2 = await t.api('PUT', '/api/v1/settings/chatwoot', { resume_ai_on_resolve: false });
  assert.is(r2.status, 200);
  assert.is(r2.body.resume_ai_on_resolve, false);
  assert.is(r2.body.connected, true);
  // null clears the token: disconnected.
  const r3 = await t.api('PUT', '/api/v1/settings/chatwoot', { api_token: null });
  assert.equal([r3.body.api_token_set, r3.body.connected], [false, false]);
});

test('credentials Chatwoot refuses are a 400 quoting Chatwoot’s reason, and nothing is stored', async ({ app, t, cw }) => {
  await allowPrivate(app);
  const bad = await t.api('PUT', '/api/v1/settings/chatwoot', { url: cw.url, account_id: cw.accountId, api_token: 'wrong' });
  assert.is(bad.status, 400);
  assert.is(bad.body.error.code, 'chatwoot_refused');
  assert.is(bad.body.error.field, 'api_token');
  assert.match(bad.body.error.message, /You need to sign in or sign up before continuing\./);
  const wrongAccount = await t.api('PUT', '/api/v1/settings/chatwoot', { url: cw.url, account_id: 99, api_token: cw.token });
  assert.is(wrongAccount.status, 400);
  assert.match(wrongAccount.body.error.message, /not authorized to access this account/);
  // Whatever answered instead of Chatwoot (a proxy's error page) is never quoted.
  cw.mode = 'down';
  const down = await t.api('PUT', '/api/v1/settings/chatwoot', { url: cw.url, account_id: cw.accountId, api_token: cw.token });
  assert.is(down.status, 400);
  assert.not.match(down.body.error.message, /cw-backend|html/i);
  assert.match(down.body.error.message, /HTTP 503/);
  // A Chatwoot screen's address pasted whole is refused on url, saying what to enter instead.
  const screen = await t.api('PUT', '/api/v1/settings/chatwoot', { url: `${cw.url}/app/accounts/${cw.accountId}/dashboard`, account_id: cw.accountId, api_token: cw.token });
  assert.equal([screen.status, screen.body.error.code, screen.body.error.field], [400, 'chatwoot_invalid_url', 'url']);
  assert.match(screen.body.error.message, 'without the page path');
  const now = await t.api('GET', '/api/v1/settings/chatwoot');
  assert.equal([now.body.url, now.body.api_token_set, now.body.connected], [null, false, false]);
  assert.is(cw.inboxes.length, 0);
});

test('a loopback or private Chatwoot needs the operator’s allowance; elsewhere plain http is refused', async ({ t, cw }) => {
  const priv = await t.api('PUT', '/api/v1/settings/chatwoot', { url: cw.url, account_id: cw.accountId, api_token: cw.token });
  assert.is(priv.status, 400);
  assert.is(priv.body.error.code, 'chatwoot_private_url');
  const plain = await t.api('PUT', '/api/v1/settings/chatwoot', { url: 'http://203.0.113.9', account_id: 1, api_token: 'x' });
  assert.is(plain.body.error.code, 'chatwoot_https_required');
  const notUrl = await t.api('PUT', '/api/v1/settings/chatwoot', { url: 'chat.example.kz', account_id: 1, api_token: 'x' });
  assert.equal([notUrl.status, notUrl.body.error.field], [400, 'url']);
  const ro = await t.api('PUT', '/api/v1/settings/chatwoot', { connected: true });
  assert.equal([ro.status, ro.body.error.code], [400, 'read_only_field']);
  const unknown = await t.api('PUT', '/api/v1/settings/chatwoot', { colour: 'red' });
  assert.equal([unknown.status, unknown.body.error.code], [400, 'unknown_field']);
});

test.run();
