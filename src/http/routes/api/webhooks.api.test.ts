import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant } from '../../../testing/api-client.ts';
import { WebhookReceiver } from '../../../testing/webhook-receiver.ts';
import type { ManualClock } from '../../../lib/clock.ts';
import { setSetting } from '../../../settings/index.ts';

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant; rx: WebhookReceiver }>('outgoing webhooks through the API');

const SECRET = 'a-shared-secret-of-some-length';

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'true'); // receivers listen on 127.0.0.1
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  ctx.rx = await new WebhookReceiver().start();
  ctx.rx.secret = SECRET;
});
test.after.each(async (ctx) => {
  await ctx.rx.stop();
  await ctx.app.cleanup();
});

/** Deliveries are queued just after the event's commit: wait for them, then run the jobs. */
async function settle(app: TestApp, t: Tenant, hookId: string, count: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await t.api('GET', `/api/v1/webhooks/${hookId}/deliveries?limit=200`);
    if (res.body.data.length >= count) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  await app.ctx.jobs.drain();
}

test('a customer message and an API reply reach a registered webhook, signed, once each', async ({ app, t, rx }) => {
  const hook = await t.api('POST', '/api/v1/webhooks', { url: rx.url, events: ['message.received', 'message.sent', 'conversation.updated'], secret: SECRET });
  assert.is(hook.status, 201);
  assert.is(hook.body.secret, SECRET);
  await t.customerSays('Сколько стоит доставка?');
  await settle(app, t, hook.body.id, 2);
  const received = [...rx.unique.values()].find((d) => d.json.event === 'message.received')!;
  assert.ok(received, 'message.received delivered');
  assert.ok(received.validSignature);
  assert.is(received.id, received.json.id);
  const data = received.json.data as { text: string; conversation_id: string; direction: string };
  assert.equal([data.text, data.direction], ['Сколько стоит доставка?', 'in']);
  assert.ok([...rx.unique.values()].some((d) => d.json.event === 'conversation.updated' && (d.json.data as { change: string }).change === 'created'));

  await t.api('POST', `/api/v1/conversations/${data.conversation_id}/messages`, { text: 'Бесплатно' });
  await app.ctx.jobs.drain();
  await settle(app, t, hook.body.id, 3);
  const sent = [...rx.unique.values()].filter((d) => d.json.event === 'message.sent');
  assert.is(sent.length, 1);
  assert.is((sent[0].json.data as { text: string }).text, 'Бесплатно');
  assert.is(rx.requests.length, rx.unique.size, 'nothing was sent twice');
  const log = await t.api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`);
  assert.ok(log.body.data.every((d: { status: string; attempts: number }) => d.status === 'delivered' && d.attempts === 1));
});

test('a receiver answering 500 shows in the delivery log and is retried after the backoff', async ({ app, t, rx }) => {
  const hook = (await t.api('POST', '/api/v1/webhooks', { url: rx.url, events: ['message.received'], secret: SECRET })).body;
  rx.mode = 'fail';
  await t.customerSays('hello');
  await settle(app, t, hook.id, 1);
  let [d] = (await t.api('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).body.data;
  assert.equal([d.status, d.attempts, d.last_status_code], ['failed', 1, 500]);
  assert.match(d.last_error, /HTTP 500/);
  assert.ok(d.next_attempt_at > app.clock.now().toISOString());
  const redeliverEarly = await t.api('POST', `/api/v1/webhooks/${hook.id}/deliveries/${d.id}/redeliver`);
  assert.is(redeliverEarly.status, 409, 'still being retried');
  rx.mode = 'ok';
  (app.clock as ManualClock).set(new Date(new Date(d.next_attempt_at).getTime() + 1000));
  await app.ctx.jobs.drain();
  d = (await t.api('GET', `/api/v1/webhooks/${hook.id}/deliveries/${d.id}`)).body;
  assert.equal([d.status, d.attempts, d.last_status_code], ['delivered', 2, 204]);
  assert.is(d.payload.event, 'message.received');
  const again = await t.api('POST', `/api/v1/webhooks/${hook.id}/deliveries/${d.id}/redeliver`);
  assert.is(again.status, 202);
  await app.ctx.jobs.drain();
  assert.is(rx.unique.size, 1, 'the receiver dedupes the redelivery by its id');
  assert.is(rx.requests.filter((r) => r.validSignature && r.id === d.id).length, 3);
});

test('a webhook URL naming a loopback, link-local, private or unspecified address is refused unless the install allows it', async ({ app, t }) => {
  await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'webhooks.allow_private_targets', 'false');
  const refused = ['http://127.0.0.1:8080/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://172.16.0.1/', 'http://192.168.1.10/',
    'http://0.0.0.0:9/', 'http://[::1]/hook', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://localhost:3000/hook'];
  for (const url of refused) {
    const res = await t.api('POST', '/api/v1/webhooks', { url, events: ['message.received'] });
    assert.is(res.status, 400, url);
    assert.equal([res.body.error.code, res.body.error.field], ['private_url', 'url'], url);
  }
  for (const url of ['https://hooks.example.kz/habar', 'http://172.32.0.1/hook', 'http://8.8.8.8/']) {
    assert.is((await t.api('POST', '/api/v1/webhooks', { url, events: ['message.received'] })).status, 201, url);
  }
  const hook = (await t.api('GET', '/api/v1/webhooks')).body.data[0];
  assert.is((await t.api('PUT', `/api/v1/webhooks/${hook.id}`, { url: 'http://192.168.0.1/' })).body.error.code, 'private_url', 'an update is checked too');
  await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'webhooks.allow_private_targets', 'true');
  assert.is((await t.api('POST', '/api/v1/webhooks', { url: 'http://192.168.0.1/', events: ['message.received'] })).status, 201);
});

test('webhooks CRUD: the secret is write-only, PUT changes only the fields present, DELETE removes the log', async ({ t, rx }) => {
  const made = await t.api('POST', '/api/v1/webhooks', { url: rx.url, events: ['message.received'] });
  assert.match(made.body.secret, /^whsec_/);
  const id = made.body.id;
  const got = await t.api('GET', `/api/v1/webhooks/${id}`);
  assert.is(got.body.secret, undefined);
  assert.is(got.body.secret_set, true);
  const put = await t.api('PUT', `/api/v1/webhooks/${id}`, { events: ['message.sent', 'channel.status'] });
  assert.equal([put.body.url, put.body.events, put.body.active], [rx.url, ['message.sent', 'channel.status'], true]);
  assert.is((await t.api('PUT', `/api/v1/webhooks/${id}`, { events: ['message.deleted'] })).body.error.field, 'events.0', 'the field path names the bad item');
  assert.is((await t.api('PUT', `/api/v1/webhooks/${id}`, { url: 'ftp://x' })).body.error.field, 'url');
  assert.is((await t.api('PUT', `/api/v1/webhooks/${id}`, { secret: 'short' })).body.error.field, 'secret');
  assert.is((await t.api('GET', '/api/v1/webhooks')).body.data.length, 1);
  assert.is((await t.api('DELETE', `/api/v1/webhooks/${id}`)).status, 204);
  assert.is((await t.api('GET', `/api/v1/webhooks/${id}`)).status, 404);
  assert.is((await t.api('GET', `/api/v1/webhooks/${id}/deliveries`)).status, 404);
});

test.run();
