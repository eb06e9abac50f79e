import { SYSTEM_ACTOR } from '../audit/index.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../testing/test-app.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';
import type { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { JobRunner } from '../jobs/index.ts';
import { createWebhook, enqueueWebhookEvent, listDeliveries, pruneDeliveries, redeliver, updateWebhook, webhookDeliveryHandler } from './index.ts';

type Ctx = { app: TestApp; rx: WebhookReceiver; clientId: string; hookId: string; runner: JobRunner; run: (o?: Partial<typeof FAST>) => Promise<number> };
const test = suite<Ctx>('webhook deliveries');

const FAST = { timeoutMs: 300, maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 };

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'true'); // receivers listen on 127.0.0.1
  ctx.rx = await new WebhookReceiver().start();
  ctx.clientId = (await buildClient(ctx.app)).id;
  const { webhook, secret } = await createWebhook(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, { url: ctx.rx.url, events: ['message.received', 'channel.status'] }, SYSTEM_ACTOR);
  ctx.rx.secret = secret;
  ctx.hookId = webhook.id;
  // The real job runner, run to idle by the test (the server runs it on timers).
  ctx.run = (o = {}) => new JobRunner(ctx.app.ctx).register(webhookDeliveryHandler(ctx.app.ctx, { ...FAST, ...o })).drain();
});
test.after.each(async (ctx) => {
  await ctx.rx.stop();
  await ctx.app.cleanup();
});

const deliveries = (ctx: { app: TestApp; clientId: string; hookId: string }) => listDeliveries(ctx.app.ctx.db, ctx.clientId, ctx.hookId);
const emit = (ctx: { app: TestApp; clientId: string }, event: 'message.received' | 'message.sent' = 'message.received') =>
  enqueueWebhookEvent(ctx.app.ctx.db, ctx.app.ctx.clock, { clientId: ctx.clientId, event, data: { id: 'm1', text: 'hi' } });

test('a subscribed event reaches the receiver once, signed, with the documented body and headers', async (ctx) => {
  assert.is(await emit(ctx), 1);
  assert.is(await emit(ctx, 'message.sent'), 0, 'not subscribed: nothing queued');
  assert.is(await ctx.run(), 1);
  assert.is(ctx.rx.requests.length, 1);
  const got = ctx.rx.requests[0];
  assert.ok(got.validSignature);
  assert.match(got.signature, /^sha256=[0-9a-f]{64}$/);
  assert.is(got.id, got.json.id);
  assert.is(got.json.event, 'message.received');
  assert.equal(got.json.data, { id: 'm1', text: 'hi' });
  assert.is(Number(got.timestamp), Math.floor(ctx.app.clock.now().getTime() / 1000));
  const [d] = await deliveries(ctx);
  assert.is(d.status, 'delivered');
  assert.is(d.attempts, 1);
  assert.is(d.lastStatusCode, 204);
  assert.is(await ctx.run(), 0, 'nothing due twice');
});

test('unless the install allows it, a delivery to a loopback or private address is refused, also when a host name resolves to one', async (ctx) => {
  const allow = (v: string) => setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', v);
  await allow('false');
  assert.is(await emit(ctx), 1);
  await ctx.run();
  let [d] = await deliveries(ctx);
  assert.is(d.status, 'failed');
  assert.match(d.lastError!, /Refused: the URL leads to a local or private network address/);
  assert.is(ctx.rx.requests.length, 0, 'nothing was sent');
  // A name is checked after DNS resolution: localhost resolves to 127.0.0.1.
  await allow('true');
  await updateWebhook(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, ctx.hookId, { url: ctx.rx.url.replace('127.0.0.1', 'localhost') }, SYSTEM_ACTOR);
  await allow('false');
  (ctx.app.clock as ManualClock).advance(10_000);
  await ctx.run();
  [d] = await deliveries(ctx);
  assert.match(d.lastError!, /Refused/);
  assert.is(ctx.rx.requests.length, 0);
  await allow('true');
  (ctx.app.clock as ManualClock).advance(10_000);
  await ctx.run();
  assert.is((await deliveries(ctx))[0].status, 'delivered', 'allowed again, it arrives');
  assert.is(ctx.rx.requests.length, 1);
});

test('a delivery connects to the address checked for its host name, never to a second lookup (DNS rebinding)', async (ctx) => {
  const port = new URL(ctx.rx.url).port;
  await updateWebhook(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, ctx.hookId, { url: `http://hooks.example.test:${port}/in` }, SYSTEM_ACTOR);
  const lookups: string[] = [];
  // This name does not exist in DNS: it can only arrive through the address the check resolved.
  const pinned = (address: string) => new JobRunner(ctx.app.ctx).register(webhookDeliveryHandler({
    ...ctx.app.ctx, lookup: async (host) => { lookups.push(host); return [{ address, family: 4 }]; },
  }, FAST)).drain();
  assert.is(await emit(ctx), 1);
  await pinned('127.0.0.1');
  assert.is((await deliveries(ctx))[0].status, 'delivered');
  assert.is(ctx.rx.requests.length, 1);
  assert.equal(lookups, ['hooks.example.test'], 'resolved once, by the check');

  // Private targets refused: a name that resolves to a public address for the check is sent
  // there (here: nowhere reachable), not to the loopback where the receiver listens.
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'false');
  assert.is(await emit(ctx), 1);
  await pinned('192.0.2.10'); // TEST-NET-1: never routed
  const [latest] = await deliveries(ctx);
  assert.is(latest.status, 'failed');
  assert.match(latest.lastError!, /No answer|Could not connect/);
  assert.is(ctx.rx.requests.length, 1, 'nothing more reached the loopback receiver');
});

test('a host name that does not resolve is a failed attempt, retried later', async (ctx) => {
  await updateWebhook(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, ctx.hookId, { url: 'http://no-such-host.invalid/hook' }, SYSTEM_ACTOR);
  assert.is(await emit(ctx), 1);
  await ctx.run();
  const [d] = await deliveries(ctx);
  assert.is(d.status, 'failed');
  assert.match(d.lastError!, /Could not resolve no-such-host.invalid/);
});

test('a receiver answering 500 gets retries with growing delays, then the delivery is dead with its last error', async (ctx) => {
  const clock = ctx.app.clock as ManualClock;
  ctx.rx.mode = 'fail';
  await emit(ctx);
  await ctx.run();
  let [d] = await deliveries(ctx);
  assert.is(d.status, 'failed');
  assert.is(d.attempts, 1);
  assert.is(d.lastStatusCode, 500);
  assert.match(d.lastError!, /HTTP 500/);
  const firstWait = new Date(d.nextAttemptAt!).getTime() - clock.now().getTime();
  assert.ok(firstWait >= 800 && firstWait <= 1200, `first retry after ~1 s, got ${firstWait}`);
  assert.is(await ctx.run(), 0, 'not due before its time');
  clock.advance(firstWait);
  await ctx.run();
  [d] = await deliveries(ctx);
  const secondWait = new Date(d.nextAttemptAt!).getTime() - clock.now().getTime();
  assert.ok(secondWait >= 1600 && secondWait <= 2400, `second retry after ~2 s, got ${secondWait}`);
  clock.advance(secondWait);
  await ctx.run();
  [d] = await deliveries(ctx);
  assert.is(d.status, 'dead');
  assert.is(d.attempts, 3);
  assert.is(d.nextAttemptAt, null);
  assert.is(ctx.rx.requests.length, 3);
  clock.advance(60_000);
  assert.is(await ctx.run(), 0, 'a dead delivery is not retried by itself');
});

test('a receiver that never answers times out and is retried; once it recovers the event arrives once', async (ctx) => {
  const clock = ctx.app.clock as ManualClock;
  ctx.rx.mode = 'hang';
  await emit(ctx);
  const started = Date.now();
  await ctx.run();
  assert.ok(Date.now() - started < 2000);
  let [d] = await deliveries(ctx);
  assert.is(d.status, 'failed');
  assert.match(d.lastError!, /No answer within 0.3 s/);
  ctx.rx.mode = 'ok';
  clock.advance(10_000);
  await ctx.run();
  [d] = await deliveries(ctx);
  assert.is(d.status, 'delivered');
  assert.is(d.attempts, 2);
  assert.is(ctx.rx.unique.size, 1);
});

test('redeliver sends a dead delivery again with the same id, and the receiver dedupes a repeat', async (ctx) => {
  ctx.rx.mode = 'fail';
  await emit(ctx);
  await ctx.run({ maxAttempts: 1 });
  let [d] = await deliveries(ctx);
  assert.is(d.status, 'dead');
  ctx.rx.mode = 'ok';
  await redeliver(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.clientId, ctx.hookId, d.id);
  await ctx.run();
  [d] = await deliveries(ctx);
  assert.is(d.status, 'delivered');
  assert.is(ctx.rx.unique.get(d.id)?.json.id, d.id);
  await redeliver(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.clientId, ctx.hookId, d.id);
  await ctx.run();
  assert.is(ctx.rx.requests.filter((r) => r.validSignature).length, 3);
  assert.is(ctx.rx.unique.size, 1, 'same delivery id: one event for the receiver');
});

test('a paused webhook gets no new deliveries; another client’s redeliver finds nothing', async (ctx) => {
  await updateWebhook(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, ctx.hookId, { active: false }, SYSTEM_ACTOR);
  assert.is(await emit(ctx), 0);
  await updateWebhook(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, ctx.hookId, { active: true }, SYSTEM_ACTOR);
  await emit(ctx);
  const [d] = await deliveries(ctx);
  const other = await buildClient(ctx.app);
  try {
    await redeliver(ctx.app.ctx.db, ctx.app.ctx.clock, other.id, ctx.hookId, d.id);
    assert.unreachable('should be not found');
  } catch (err) {
    assert.is((err as { status: number }).status, 404);
  }
});

test('the log keeps finished deliveries 30 days, and keeps ones still being retried', async (ctx) => {
  const clock = ctx.app.clock as ManualClock;
  await emit(ctx);
  await ctx.run();
  ctx.rx.mode = 'fail';
  await emit(ctx);
  await ctx.run();
  clock.advance(29 * 86400_000);
  assert.is(await pruneDeliveries(ctx.app.ctx.db, clock), 0);
  clock.advance(2 * 86400_000);
  assert.is(await pruneDeliveries(ctx.app.ctx.db, clock), 1);
  assert.equal((await deliveries(ctx)).map((d) => d.status), ['failed']);
});

test.run();
