// Outgoing webhook deliveries commit in the same transaction as the event's cause.
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { customerSays, quietSandbox } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { silentLogger } from '../lib/logger.ts';
import { setSetting } from '../settings/index.ts';
import { toJob } from '../jobs/index.ts';
import { sendJobHandler, sendMessage, setConversationStatus, updateContactWithEvents, type MessagingEvent } from '../messaging/index.ts';
import { createWebhook, WEBHOOK_EVENTS, WEBHOOK_DELIVER_KIND } from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount; hookId: string }>('webhook deliveries commit with their cause');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'true'); // receivers listen on 127.0.0.1
  ctx.ch = await quietSandbox(ctx.app);
  // Nothing listens there: no delivery job is run by these tests.
  const { webhook } = await createWebhook(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.ch.clientId, { url: 'http://127.0.0.1:9/hook', events: [...WEBHOOK_EVENTS] }, SYSTEM_ACTOR);
  ctx.hookId = webhook.id;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

/** The deliveries queued so far (oldest first), each with its send job's status. */
async function queued(app: TestApp) {
  const { db } = app.ctx;
  const jobs = await db.selectFrom('jobs').select(['payload', 'status']).where('kind', '=', WEBHOOK_DELIVER_KIND).execute();
  const jobOf = new Map(jobs.map((j) => [(JSON.parse(j.payload) as { delivery_id: string }).delivery_id, j.status]));
  const rows = await db.selectFrom('webhook_deliveries').select(['id', 'event', 'payload']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, event: r.event, jobStatus: jobOf.get(r.id), data: (JSON.parse(r.payload) as { data: Record<string, unknown> }).data }));
}

test('a customer message has its webhook delivery and send job the moment it is stored, before any job runs', async ({ app, ch, hookId }) => {
  const { messageId, conversationId } = await customerSays(app, ch.id, 'alice', 'Hello');
  const rows = await queued(app);
  assert.equal(rows.map((r) => r.event), ['conversation.updated', 'message.received']);
  const received = rows[1];
  assert.is(received.data.id, messageId);
  assert.is(received.data.conversation_id, conversationId);
  assert.is(received.jobStatus, 'pending', 'its send job is queued');
  const d = await app.ctx.db.selectFrom('webhook_deliveries').select(['webhook_id', 'status']).where('id', '=', received.id).executeTakeFirstOrThrow();
  assert.equal(d, { webhook_id: hookId, status: 'pending' });
});

test('when the message’s transaction fails after the insert, neither the message nor its delivery nor its job exists', async ({ app, ch }) => {
  let seenInside = -1;
  // Runs after the webhooks' subscriber, in the same transaction: the "crash" before the commit.
  const off = app.ctx.hub.subscribeInTransaction(async (trx) => {
    seenInside = (await trx.selectFrom('webhook_deliveries').select('id').execute()).length;
    throw new Error('power cut before the commit');
  });
  try {
    await customerSays(app, ch.id, 'bob', 'Are you open?', 'bob-1');
    assert.unreachable('the ingest should have failed');
  } catch (err) {
    assert.match((err as Error).message, /power cut/);
  } finally {
    off();
  }
  assert.is(seenInside, 2, 'the deliveries were written inside the message’s transaction');
  assert.is((await app.ctx.db.selectFrom('messages').select('id').execute()).length, 0);
  assert.is((await queued(app)).length, 0);
  assert.is((await app.ctx.db.selectFrom('jobs').select('id').where('kind', '=', WEBHOOK_DELIVER_KIND).execute()).length, 0);
  // The platform redelivers the unacknowledged message: now it and its deliveries commit together.
  await customerSays(app, ch.id, 'bob', 'Are you open?', 'bob-1');
  assert.equal((await queued(app)).map((r) => r.event), ['conversation.updated', 'message.received']);
});

test('a status change, a channel going down, a reply sent and a reply that failed each bring their deliveries with them', async ({ app, ch }) => {
  const { conversationId } = await customerSays(app, ch.id, 'carol', 'Hi');
  await setConversationStatus(app.ctx, ch.clientId, conversationId, 'resolved');
  await app.ctx.channels.host.setStatus(ch.id, 'error', 'Logged out on the phone');
  const reply = await sendMessage(app.ctx, ch.clientId, conversationId, { text: 'Thanks!', authorKind: 'agent' });
  const doomed = await sendMessage(app.ctx, ch.clientId, conversationId, { text: 'Never arrives', authorKind: 'agent' });
  const sendJob = await app.ctx.db.selectFrom('jobs').selectAll().where('idempotency_key', '=', `send:${reply.id}`).executeTakeFirstOrThrow();
  const handler = sendJobHandler({ ...app.ctx, log: silentLogger }, app.ctx.channels);
  await handler.run(toJob(sendJob));
  await handler.onDead!({ ...toJob(sendJob), payload: { messageId: doomed.id } }, 'The platform refused the message');

  const rows = (await queued(app)).slice(2);
  assert.equal(rows.map((r) => r.event), ['conversation.updated', 'channel.status', 'message.sent', 'message.failed']);
  assert.is(rows[0].data.status, 'resolved');
  assert.is(rows[0].data.change, 'status');
  assert.is(rows[1].data.status, 'error');
  assert.is(rows[2].data.id, reply.id);
  assert.is(rows[3].data.id, doomed.id);
  assert.ok(rows.every((r) => r.jobStatus === 'pending'));
  // Nothing changed, nothing announced.
  await setConversationStatus(app.ctx, ch.clientId, conversationId, 'resolved');
  await app.ctx.channels.host.setStatus(ch.id, 'error', 'Logged out on the phone');
  assert.is((await queued(app)).length, 6);
});

test('correcting a contact’s details announces each of their conversations to webhooks and, after the commit, to the live inbox', async ({ app, ch }) => {
  const { contactId, conversationId } = await customerSays(app, ch.id, 'erin', 'Hi');
  const live: MessagingEvent[] = [];
  const off = app.ctx.hub.subscribe((e) => live.push(e));
  await updateContactWithEvents(app.ctx, ch.clientId, contactId, { displayName: 'Erin K.' }, SYSTEM_ACTOR);
  off();
  const [d] = (await queued(app)).slice(2);
  assert.is(d.event, 'conversation.updated');
  assert.equal([d.data.id, d.data.change], [conversationId, 'contact']);
  assert.equal(live.map((e) => e.type), ['conversation.updated']);
  try {
    await updateContactWithEvents(app.ctx, ch.clientId, contactId, { phone: 'not a phone' }, SYSTEM_ACTOR);
    assert.unreachable('a bad phone is refused');
  } catch (err) {
    assert.is((err as { field?: string }).field, 'phone');
  }
  assert.is((await queued(app)).length, 3, 'a refused change announces nothing');
});

test('a client without webhooks gets no deliveries, and another client’s webhook hears nothing of it', async ({ app }) => {
  const other = await quietSandbox(app);
  await customerSays(app, other.id, 'dave', 'Hello');
  await app.ctx.channels.host.setStatus(other.id, 'error', 'down');
  assert.is((await queued(app)).length, 0);
});

test.run();
