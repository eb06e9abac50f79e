import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../testing/test-app.ts';
import { quietSandbox, customerSays, buildChannel, RecordingSender } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { JobRunner } from '../jobs/index.ts';
import { silentLogger } from '../lib/logger.ts';
import { sendMessage, startConversation, sendJobHandler, getMessage, type MessagingEvent } from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount }>('outbound messages');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

/** A runner sending through a stand-in platform (a fresh one = a restarted process). */
function runnerWith(app: TestApp, sender: RecordingSender, concurrency = 4) {
  return new JobRunner({ db: app.ctx.db, clock: app.ctx.clock, log: silentLogger, concurrency, leaseMs: 60_000, random: () => 1 })
    .register(sendJobHandler({ ...app.ctx, log: silentLogger }, sender));
}

/** Waits until `cond` holds (a job started by pump() runs asynchronously). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'timed out waiting');
}

/** A customer writes; their message is processed (so only send jobs remain for the stand-in runners). */
async function customerWrote(app: TestApp, ch: ChannelAccount, customer: string) {
  const r = await customerSays(app, ch.id, customer, 'Hi');
  await app.ctx.jobs.drain();
  return r;
}

const advance = (app: TestApp, ms: number) => (app.clock as unknown as { advance(ms: number): void }).advance(ms);

test('an agent reply is queued with its send job and delivered to the sandbox customer once', async ({ app, ch }) => {
  const events: MessagingEvent[] = [];
  app.ctx.hub.subscribe((e) => events.push(e));
  const { conversationId } = await customerSays(app, ch.id, 'alice', 'Hello');
  const msg = await sendMessage(app.ctx, ch.clientId, conversationId, { text: 'Hello! How can we help?', authorKind: 'agent' });
  assert.is(msg.status, 'queued');
  const job = await app.ctx.db.selectFrom('jobs').selectAll().where('kind', '=', 'message.send').executeTakeFirstOrThrow();
  assert.is(job.idempotency_key, `send:${msg.id}`);
  await app.ctx.jobs.drain();
  const sent = await getMessage(app.ctx.db, ch.clientId, msg.id);
  assert.is(sent.status, 'sent');
  assert.is(sent.platformMessageId, `sandbox:${msg.id}`);
  const deliveries = await app.ctx.db.selectFrom('sandbox_deliveries').selectAll().execute();
  assert.is(deliveries.length, 1);
  assert.is(deliveries[0].calls, 1);
  const usage = await app.ctx.db.selectFrom('usage_events').select('kind').where('kind', '=', 'outbound_message').execute();
  assert.is(usage.length, 1);
  assert.equal(events.filter((e) => e.type.startsWith('message.')).map((e) => e.type), ['message.received', 'message.queued', 'message.sent']);
});

test('on a platform without idempotency, a send cut off by a crash is retried once and marked uncertain', async ({ app, ch }) => {
  const { conversationId } = await customerWrote(app, ch, 'bob');
  const msg = await sendMessage(app.ctx, ch.clientId, conversationId, { text: 'Your order is ready', authorKind: 'agent' });
  const dying = new RecordingSender();
  dying.hang = true; // the process "dies" during the platform call
  await runnerWith(app, dying).pump();
  await until(() => dying.calls.length === 1);
  assert.ok((await getMessage(app.ctx.db, ch.clientId, msg.id)).inFlight, 'marked in flight before the call');

  const platform = new RecordingSender();
  const restarted = runnerWith(app, platform);
  assert.is(await restarted.drain(), 0);
  advance(app, 60_001);
  await restarted.drain();
  const after = await getMessage(app.ctx.db, ch.clientId, msg.id);
  assert.is(platform.calls.length, 1, 'retried once');
  assert.is(after.status, 'sent');
  assert.ok(after.uncertain, 'the thread shows the customer may have it twice');
  assert.not.ok(after.inFlight);
});

test('a send cut off by a crash twice is not tried a third time and is shown failed', async ({ app, ch }) => {
  const events: MessagingEvent[] = [];
  app.ctx.hub.subscribe((e) => events.push(e));
  const { conversationId } = await customerWrote(app, ch, 'carol');
  const msg = await sendMessage(app.ctx, ch.clientId, conversationId, { text: 'Paid?', authorKind: 'agent' });
  for (let i = 0; i < 2; i++) {
    const dying = new RecordingSender();
    dying.hang = true;
    await runnerWith(app, dying).pump();
    await until(() => dying.calls.length === 1);
    advance(app, 60_001);
  }
  const third = new RecordingSender();
  await runnerWith(app, third).drain();
  assert.is(third.calls.length, 0);
  const failed = await getMessage(app.ctx.db, ch.clientId, msg.id);
  assert.is(failed.status, 'failed');
  assert.ok(failed.uncertain);
  assert.match(failed.error!, /interrupted twice/);
  assert.ok(events.some((e) => e.type === 'message.failed'));
});

test('a send the platform keeps refusing is retried with backoff, then shown failed with the error', async ({ app, ch }) => {
  const { conversationId } = await customerWrote(app, ch, 'dan');
  const msg = await sendMessage(app.ctx, ch.clientId, conversationId, { text: 'Hello', authorKind: 'agent' });
  const platform = new RecordingSender();
  platform.failWith = new Error('platform answered 503');
  const r = runnerWith(app, platform);
  for (let i = 0; i < 12; i++) {
    await r.drain();
    advance(app, 2 * 60 * 60_000);
  }
  assert.is(platform.calls.length, 10, 'every attempt, no more');
  const failed = await getMessage(app.ctx.db, ch.clientId, msg.id);
  assert.is(failed.status, 'failed');
  assert.is(failed.error, 'platform answered 503');
  assert.not.ok(failed.inFlight, 'a refusal is a known outcome, not an uncertain one');
  const job = await app.ctx.db.selectFrom('jobs').selectAll().where('kind', '=', 'message.send').executeTakeFirstOrThrow();
  assert.is(job.status, 'dead');
});

test('sends within a conversation leave in the order they were queued, even when one must be retried', async ({ app, ch }) => {
  const a = await customerWrote(app, ch, 'erin');
  const b = await customerWrote(app, ch, 'fred');
  const queued: Record<string, string[]> = { [a.conversationId]: [], [b.conversationId]: [] };
  for (let i = 0; i < 5; i++) {
    for (const conv of [a.conversationId, b.conversationId]) {
      const m = await sendMessage(app.ctx, ch.clientId, conv, { text: `part ${i}`, authorKind: 'agent' });
      queued[conv].push(m.id);
    }
  }
  const platform = new RecordingSender(true);
  let first = true;
  let attemptsOfFirst = 0;
  const send = platform.send.bind(platform);
  platform.send = async (acc, m) => {
    await new Promise((res) => setTimeout(res, Math.random() * 3));
    if (m.messageId === queued[a.conversationId][0]) attemptsOfFirst++;
    if (first && m.messageId === queued[a.conversationId][0]) {
      first = false;
      throw new Error('timeout');
    }
    return send(acc, m);
  };
  const r = runnerWith(app, platform, 8);
  await r.drain();
  advance(app, 10_000);
  await r.drain();
  const sentOrder = (conv: string) => platform.calls.filter((c) => c.conversationId === conv).map((c) => c.messageId);
  assert.equal(sentOrder(b.conversationId), queued[b.conversationId]);
  const inA = sentOrder(a.conversationId);
  assert.equal(inA, queued[a.conversationId], 'the failed first send is retried before the rest go');
  assert.is(attemptsOfFirst, 2);
});

test('starting a conversation with a new sandbox customer queues the first message', async ({ app, ch }) => {
  const r = await startConversation(app.ctx, { clientId: ch.clientId, channelAccountId: ch.id, to: 'new-customer-42', text: 'Your table is booked', authorKind: 'agent' });
  assert.is(r.contact.displayName, 'new-customer-42');
  assert.is(r.message.status, 'queued');
  await app.ctx.jobs.drain();
  assert.is((await getMessage(app.ctx.db, ch.clientId, r.message.id)).status, 'sent');
  // The customer's reply lands in the same conversation.
  const reply = await customerSays(app, ch.id, 'new-customer-42', 'Thanks!');
  assert.is(reply.conversationId, r.conversation.id);
});

test('starting a WhatsApp conversation needs a phone number', async ({ app, ch }) => {
  const wa = await buildChannel(app, ch.clientId, 'whatsapp', 'Shop WhatsApp');
  try {
    await startConversation(app.ctx, { clientId: ch.clientId, channelAccountId: wa.id, to: 'not a phone', text: 'Hi', authorKind: 'agent' });
    assert.unreachable();
  } catch (err) {
    assert.is((err as { field?: string }).field, 'to');
  }
  const r = await startConversation(app.ctx, { clientId: ch.clientId, channelAccountId: wa.id, to: '+7 (701) 234-56-78', text: 'Hi', authorKind: 'agent' });
  assert.is(r.contact.phone, '+77012345678');
});

test('an Instagram conversation cannot be started (the customer writes first), and a channel\'s own limits hold', async ({ app, ch }) => {
  const ig = await buildChannel(app, ch.clientId, 'instagram', 'Shop Instagram');
  const refused = async (attempt: () => Promise<unknown>) => {
    try {
      await attempt();
      assert.unreachable();
    } catch (err) {
      return [(err as { status?: number }).status, (err as { field?: string }).field, (err as { code?: string }).code];
    }
  };
  assert.equal(await refused(() => startConversation(app.ctx, { clientId: ch.clientId, channelAccountId: ig.id, to: '1784', text: 'Hi', authorKind: 'agent' })), [400, 'channel', 'cannot_start']);
  const wa = await buildChannel(app, ch.clientId, 'whatsapp', 'Shop WhatsApp');
  const huge = { name: 'film.mp4', mime: 'video/mp4', size: 20 * 1024 * 1024 };
  assert.equal(await refused(() => startConversation(app.ctx, { clientId: ch.clientId, channelAccountId: wa.id, to: '+77012345678', text: 'Look', attachments: [huge], authorKind: 'agent' })), [400, 'attachments', 'attachment_too_large']);
  assert.is((await app.ctx.db.selectFrom('messages').select('id').execute()).length, 0);
});

test('another client cannot send into a conversation or start one on a channel that is not theirs', async ({ app, ch }) => {
  const other = await buildClient(app);
  const { conversationId } = await customerSays(app, ch.id, 'gina', 'Hi');
  for (const attempt of [
    () => sendMessage(app.ctx, other.id, conversationId, { text: 'x', authorKind: 'agent' }),
    () => startConversation(app.ctx, { clientId: other.id, channelAccountId: ch.id, to: 'x', text: 'x', authorKind: 'agent' }),
  ]) {
    try {
      await attempt();
      assert.unreachable();
    } catch (err) {
      assert.is((err as { status?: number }).status, 404);
    }
  }
  const out = await app.ctx.db.selectFrom('messages').select('id').where('direction', '=', 'out').execute();
  assert.is(out.length, 0);
});

test('an empty or oversize reply is refused with a field error', async ({ app, ch }) => {
  const { conversationId } = await customerSays(app, ch.id, 'hana', 'Hi');
  for (const text of ['   ', 'x'.repeat(4097)]) {
    try {
      await sendMessage(app.ctx, ch.clientId, conversationId, { text, authorKind: 'agent' });
      assert.unreachable();
    } catch (err) {
      assert.is((err as { field?: string }).field, 'text');
    }
  }
});

test.run();
