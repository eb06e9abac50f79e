import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { buildApiTenant } from '../../testing/api-client.ts';
import { WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { verifyDelivery } from '../../webhooks/index.ts';
import { setSetting } from '../../settings/index.ts';

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant; owner: CookieJar; rx: WebhookReceiver }>('webhooks screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'true'); // receivers listen on 127.0.0.1
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  const owner = await buildUser(ctx.app, 'owner', ctx.t.client.id);
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  ctx.rx = await new WebhookReceiver().start();
});
test.after.each(async (ctx) => {
  await ctx.rx.stop();
  await ctx.app.cleanup();
});

const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
  return p;
};
const post = (app: TestApp, jar: CookieJar, path: string, fields: Record<string, string | string[]>) =>
  app.request(path, { method: 'POST', jar, body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

test('an owner registers a webhook (secret shown once), sees each delivery in the log with its error, and redelivers a dead one', async ({ app, t, owner, rx }) => {
  const page = await (await app.request('/clients/acme/webhooks', { jar: owner })).text();
  const csrf = csrfFrom(page);
  const res = await post(app, owner, '/clients/acme/webhooks', { _csrf: csrf, url: rx.url, events: ['message.received', 'message.sent'], secret: '' });
  assert.is(res.status, 200);
  const html = await res.text();
  const secret = html.match(/data-testid="new-webhook-secret">(whsec_[A-Za-z0-9_-]+)</)?.[1];
  assert.ok(secret);
  rx.secret = secret!;
  const list = await (await app.request('/clients/acme/webhooks', { jar: owner })).text();
  assert.not.ok(list.includes(secret!), 'the secret is shown once');
  const logPath = list.match(/href="(\/clients\/acme\/webhooks\/[0-9a-z]+)"/)?.[1];
  assert.ok(logPath);

  rx.mode = 'fail';
  await t.customerSays('Hello from the customer');
  for (let i = 0; i < 100 && (await app.ctx.db.selectFrom('webhook_deliveries').select('id').execute()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  // Give up after one attempt, as after the last of the real schedule.
  await app.ctx.db.updateTable('jobs').set({ max_attempts: 1 }).where('kind', '=', 'webhook.deliver').execute();
  await app.ctx.jobs.drain();
  const log = await (await app.request(logPath!, { jar: owner })).text();
  assert.match(log, /message\.received/);
  assert.match(log, /попытки исчерпаны/);
  assert.match(log, /HTTP 500/);
  const redeliver = log.match(/action="([^"]+\/redeliver)"/)?.[1];
  assert.ok(redeliver, 'a Redeliver button for the dead delivery');
  rx.mode = 'ok';
  const r = await postForm(app, owner, redeliver!, {}, csrfFrom(log));
  assert.is(r.status, 303);
  await app.ctx.jobs.drain();
  assert.is(rx.unique.size, 1);
  const got = [...rx.unique.values()][0];
  assert.ok(verifyDelivery(secret!, got.timestamp, got.body, got.signature));
  assert.match(await (await app.request(logPath!, { jar: owner })).text(), /доставлено/);
});

test('a bad URL or no event is refused inline; pause, resume and delete work; other clients and agents are kept out', async ({ app, t, owner, rx }) => {
  const csrf = csrfFrom(await (await app.request('/clients/acme/webhooks', { jar: owner })).text());
  const bad = await post(app, owner, '/clients/acme/webhooks', { _csrf: csrf, url: 'not a url', events: ['message.sent'] });
  assert.is(bad.status, 422);
  assert.match(await bad.text(), /class="field invalid"/);
  const none = await post(app, owner, '/clients/acme/webhooks', { _csrf: csrf, url: rx.url });
  assert.is(none.status, 422);
  const made = (await t.api('POST', '/api/v1/webhooks', { url: rx.url, events: ['channel.status'] })).body;
  const base = `/clients/acme/webhooks/${made.id}`;
  assert.is((await post(app, owner, `${base}/pause`, { _csrf: csrf })).status, 303);
  assert.is((await t.api('GET', `/api/v1/webhooks/${made.id}`)).body.active, false);
  assert.is((await post(app, owner, `${base}/resume`, { _csrf: csrf })).status, 303);
  assert.is((await t.api('GET', `/api/v1/webhooks/${made.id}`)).body.active, true);
  const agent = await buildUser(app, 'agent', t.client.id);
  assert.is((await app.request(base, { jar: await loginAs(app, agent.email, TEST_PASSWORD) })).status, 403);
  const other = await buildApiTenant(app, 'other');
  const stranger = await buildUser(app, 'owner', other.client.id);
  const sJar = await loginAs(app, stranger.email, TEST_PASSWORD);
  const sCsrf = csrfFrom(await (await app.request('/clients/other/webhooks', { jar: sJar })).text());
  assert.is((await app.request(base, { jar: sJar })).status, 404);
  assert.is((await post(app, sJar, `${base}/delete`, { _csrf: sCsrf })).status, 404);
  assert.is((await post(app, sJar, `/clients/other/webhooks/${made.id}/delete`, { _csrf: sCsrf })).status, 404);
  assert.is((await post(app, owner, `${base}/delete`, { _csrf: csrf })).status, 303);
  assert.is((await t.api('GET', `/api/v1/webhooks/${made.id}`)).status, 404);
});

test.run();
