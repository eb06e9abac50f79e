import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { changeReplyState, ANY_STATE, findConversation, sendMessage, storeAttachment } from '../messaging/index.ts';
import { chatwootWorld, endWorld, type ChatwootWorld } from '../testing/chatwoot-fixture.ts';
import { customerSays } from '../testing/messaging-fixtures.ts';
import { chatwootStatus } from './index.ts';

const test = suite<{ w: ChatwootWorld }>('chatwoot mirror: customers’ messages appear in Chatwoot once');

test.before.each(async (ctx) => {
  ctx.w = await chatwootWorld();
});
test.after.each(async (ctx) => {
  await endWorld(ctx.w);
});

test('connecting makes one API-channel inbox per channel, its webhook pointing at this Habar', async ({ w }) => {
  assert.is(w.cw.inboxes.length, 1);
  assert.is(w.cw.inboxes[0].channel_type, 'Channel::Api');
  assert.is(w.cw.inboxes[0].name, 'Habar: Sandbox');
  assert.match(w.cw.inboxes[0].webhook_url, new RegExp(`^${w.app.ctx.publicUrl()}/webhooks/chatwoot/[A-Za-z0-9_-]{32}$`));
  const st = await chatwootStatus(w.app.ctx.db, w.ch.clientId);
  assert.ok(st.settings.connectedAt);
  assert.is(st.signing, 'signed');
});

test('a customer’s messages appear under one contact and one pending conversation, each once, in order; our own echoes change nothing', async ({ w }) => {
  const first = await customerSays(w.app, w.ch.id, 'alice', 'Hello, is the *blue* one in stock?');
  await customerSays(w.app, w.ch.id, 'alice', 'Size M');
  await customerSays(w.app, w.ch.id, 'alice', 'Thanks');
  await w.run();
  assert.is(w.cw.contacts.length, 1);
  assert.is(w.cw.contacts[0].identifier, `habar:${first.contactId}`);
  const conv = w.cw.conversationOf(first.conversationId)!;
  assert.ok(conv);
  assert.is(conv.status, 'open', 'no assistant is on: the people own it');
  assert.equal(conv.labels, ['habar', 'sandbox']);
  const msgs = w.cw.messagesIn(conv.id);
  assert.equal(msgs.map((m) => [m.message_type, m.content]), [['incoming', 'Hello, is the **blue** one in stock?'], ['incoming', 'Size M'], ['incoming', 'Thanks']]);
  assert.ok(msgs.every((m) => m.source_id?.startsWith('habar:msg:')));
  // Chatwoot posted a message_created webhook for each of them (as it does for every message in an API inbox).
  assert.is(w.cw.webhookResults.filter((r) => r.event === 'message_created').length, 3);
  assert.ok(w.cw.webhookResults.every((r) => r.status === 200));
  assert.is(await w.run(), 0, 'nothing further to do');
  assert.is(w.cw.messages.length, 3);
  assert.is((await w.app.ctx.db.selectFrom('messages').select('id').execute()).length, 3, 'no echo came back as a message');
});

test('an AI reply is an outgoing message; a reply typed on the phone is a private note marked as such', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'bob', 'Hi');
  await sendMessage(w.app.ctx, w.ch.clientId, c.conversationId, { text: 'Hello from the assistant', authorKind: 'ai' });
  await w.run();
  await w.app.ctx.channels.host.ingest({ channelAccountId: w.ch.id, platformMessageId: 'phone-1', text: 'I’ll call you', direction: 'out', from: { identities: [{ kind: 'sandbox', value: 'bob' }] } });
  await w.run();
  const msgs = w.cw.messagesIn(w.cw.conversationOf(c.conversationId)!.id);
  assert.equal(msgs.map((m) => [m.message_type, m.private, m.content]), [
    ['incoming', false, 'Hi'], ['outgoing', false, 'Hello from the assistant'], ['outgoing', true, '📱 Typed on the phone:\nI’ll call you'],
  ]);
  assert.is(msgs[1].content_attributes.habar_author, 'ai');
});

test('a customer’s file arrives in Chatwoot as an attachment of the message (multipart)', async ({ w }) => {
  const bytes = new TextEncoder().encode('%PDF-1.4 price list');
  const file = await storeAttachment(w.app.ctx.db, w.app.ctx.clock, w.app.ctx.config.dataDir, { clientId: w.ch.clientId, fileName: 'prices.pdf', mime: 'application/pdf', bytes });
  await w.app.ctx.channels.host.ingest({ channelAccountId: w.ch.id, platformMessageId: 'f-1', text: 'Here it is', attachments: [file], from: { identities: [{ kind: 'sandbox', value: 'ivan' }] } });
  await w.run();
  assert.is(w.cw.messages.length, 1);
  assert.is(w.cw.messages[0].content, 'Here it is');
  assert.equal(w.cw.messages[0].attachments, [{ file_name: 'prices.pdf', file_type: 'application/pdf', size: bytes.byteLength }]);
});

test('while Chatwoot is down for many minutes messages wait, retried with backoff; when it returns they arrive once, in order', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'carol', 'one');
  await w.run();
  w.cw.mode = 'down';
  for (const t of ['two', 'three', 'four']) await customerSays(w.app, w.ch.id, 'carol', t);
  await w.run();
  let st = await chatwootStatus(w.app.ctx.db, w.ch.clientId);
  assert.is(st.backlog, 3);
  assert.match(st.settings.lastError!, /HTTP 503/);
  assert.not.match(st.settings.lastError!, /cw-backend/, 'the proxy’s page is never quoted');
  // Forty minutes of outage, with traffic; then it is gone entirely (no listener at all).
  for (let i = 0; i < 8; i++) {
    w.clock.advance(5 * 60_000);
    await w.run();
    if (i === 3) await customerSays(w.app, w.ch.id, 'carol', 'five');
    if (i === 5) await w.cw.stop();
  }
  st = await chatwootStatus(w.app.ctx.db, w.ch.clientId);
  assert.is(st.backlog, 4);
  assert.is(st.dead, 0, 'nothing gave up');
  assert.match(st.settings.lastError!, /Could not connect/);
  w.cw.mode = 'ok';
  await w.cw.start();
  w.clock.advance(5 * 60_000);
  await w.run();
  const msgs = w.cw.messagesIn(w.cw.conversationOf(c.conversationId)!.id).map((m) => m.content);
  assert.equal(msgs, ['one', 'two', 'three', 'four', 'five']);
  assert.is((await chatwootStatus(w.app.ctx.db, w.ch.clientId)).backlog, 0);
});

test('a create whose answer was lost (a crash between create and map write) is found by its source_id, never made twice', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'dave', 'first');
  await w.run();
  w.cw.loseNextCreateReply = true;
  await customerSays(w.app, w.ch.id, 'dave', 'second');
  await w.run();
  assert.is(w.cw.messages.length, 2, 'Chatwoot saved it, Habar did not hear');
  w.clock.advance(60_000);
  await w.run();
  const msgs = w.cw.messagesIn(w.cw.conversationOf(c.conversationId)!.id);
  assert.equal(msgs.map((m) => m.content), ['first', 'second']);
  const links = await w.app.ctx.db.selectFrom('chatwoot_links').select(['kind', 'remote_id']).where('kind', '=', 'message').execute();
  assert.equal(links.map((l) => l.remote_id).sort(), msgs.map((m) => m.id).sort());
});

test('a customer message’s mirror job is written in the message’s own transaction, before any job runs', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'kate', 'Hello');
  const jobs = await w.app.ctx.db.selectFrom('jobs').select(['kind', 'status', 'queue_key', 'contact_id']).where('kind', '=', 'chatwoot.mirror').execute();
  assert.equal(jobs, [{ kind: 'chatwoot.mirror', status: 'pending', queue_key: `chatwoot:${c.conversationId}`, contact_id: c.contactId }]);
});

test('a contact Chatwoot already has under our identifier (made before a crash lost its map row) is reused, not made again', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'zoe', 'Hello again');
  w.cw.contacts.push({ id: 42, name: 'zoe', identifier: `habar:${c.contactId}`, phone_number: null });
  await w.run();
  assert.is(w.cw.contacts.length, 1);
  assert.is(w.cw.conversationOf(c.conversationId)!.contact_id, 42);
});

test('a conversation deleted in Chatwoot is made again with the next message', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'olga', 'first');
  await w.run();
  w.cw.conversations = [];
  w.cw.contacts = [];
  await customerSays(w.app, w.ch.id, 'olga', 'second');
  await w.run();
  assert.equal(w.cw.messagesIn(w.cw.conversationOf(c.conversationId)!.id).map((m) => m.content), ['second']);
  assert.is(w.cw.contacts.length, 1);
  assert.is((await chatwootStatus(w.app.ctx.db, w.ch.clientId)).dead, 0);
});

test('a channel added after Connect gets its own inbox on first use', async ({ w }) => {
  const { buildChannel } = await import('../testing/messaging-fixtures.ts');
  const second = await buildChannel(w.app, w.ch.clientId, 'sandbox', 'Second sandbox');
  const c = await customerSays(w.app, second.id, 'yan', 'on the new one');
  await w.run();
  assert.equal(w.cw.inboxes.map((i) => i.name), ['Habar: Sandbox', 'Habar: Second sandbox']);
  assert.is(w.cw.conversationOf(c.conversationId)!.inbox_id, w.cw.inboxes[1].id);
});

test('a Chatwoot slower than the timeout is a failed attempt; the retry finds what the slow call made, so nothing is made twice', async ({ w }) => {
  const { JobRunner } = await import('../jobs/index.ts');
  const { chatwootMirrorHandler } = await import('./index.ts');
  const c = await customerSays(w.app, w.ch.id, 'pete', 'first');
  await w.run();
  await customerSays(w.app, w.ch.id, 'pete', 'slow one');
  w.cw.mode = 'down';
  await w.run(); // the customer's message is processed; its mirror step waits for Chatwoot
  w.cw.mode = 'ok';
  w.cw.delayMs = 400;
  w.clock.advance(60_000);
  // The mirror with a 150 ms timeout (the server's is 10 s).
  const runner = new JobRunner(w.app.ctx).register(chatwootMirrorHandler({ ...w.app.ctx, http: { timeoutMs: 150, readRetries: 0 } }));
  await runner.drain();
  assert.match((await chatwootStatus(w.app.ctx.db, w.ch.clientId)).settings.lastError!, /did not answer within 0.15 s/);
  await new Promise((r) => setTimeout(r, 500)); // the slow call completes on Chatwoot's side
  assert.is(w.cw.messages.length, 2, 'Chatwoot made it after Habar gave up waiting');
  w.cw.delayMs = 0;
  w.clock.advance(60_000);
  await runner.drain();
  assert.equal(w.cw.messagesIn(w.cw.conversationOf(c.conversationId)!.id).map((m) => m.content), ['first', 'slow one']);
});

test('first messages of several customers at once each get their own contact and conversation, none twice', async ({ w }) => {
  await Promise.all(['e1', 'e2', 'e3'].flatMap((who) => [customerSays(w.app, w.ch.id, who, `${who} a`), customerSays(w.app, w.ch.id, who, `${who} b`)]));
  await w.run();
  assert.is(w.cw.contacts.length, 3);
  assert.is(w.cw.conversations.length, 3);
  assert.is(w.cw.messages.length, 6);
  assert.is(new Set(w.cw.contacts.map((x) => x.identifier)).size, 3);
});

test('while the AI owns a conversation it is pending; a handoff opens it; the AI taking it back makes it pending again', async ({ w }) => {
  const { updateAiSettings } = await import('../ai/index.ts');
  await updateAiSettings(w.app.ctx.db, w.app.ctx.vault, w.app.ctx.clock, w.ch.clientId, { enabled: true, provider: 'faq' }, SYSTEM_ACTOR);
  const c = await customerSays(w.app, w.ch.id, 'erin', 'I want a person');
  await w.run();
  const remote = w.cw.conversationOf(c.conversationId)!;
  assert.is(remote.status, 'pending', 'made pending: the AI owns it');
  w.cw.toggles.length = 0;
  const { findConversation: find } = await import('../messaging/index.ts');
  if ((await find(w.app.ctx.db, c.conversationId))!.aiState !== 'active') {
    await changeReplyState(w.app.ctx, (await find(w.app.ctx.db, c.conversationId))!, ANY_STATE, { to: 'active' });
    await w.run();
    w.cw.toggles.length = 0;
  }
  const conv = (await findConversation(w.app.ctx.db, c.conversationId))!;
  await changeReplyState(w.app.ctx, conv, conv, { to: 'handed_off', reason: 'customer_asked' });
  await w.run();
  assert.is(remote.status, 'open');
  await changeReplyState(w.app.ctx, conv, ANY_STATE, { to: 'active' });
  await w.run();
  assert.is(remote.status, 'pending');
  assert.equal(w.cw.toggles.map((t) => t.status), ['open', 'pending']);
});

test('assigning a conversation to a member assigns it in Chatwoot to the agent with the same e-mail; unassigning unassigns', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'lena', 'Hello');
  await w.run();
  const { buildUser } = await import('../testing/test-app.ts');
  const { assignConversation } = await import('../messaging/index.ts');
  const member = await buildUser(w.app, 'agent', w.ch.clientId, 'Aigerim@example.kz');
  await assignConversation(w.app.ctx, w.ch.clientId, c.conversationId, member.id);
  await w.run();
  await assignConversation(w.app.ctx, w.ch.clientId, c.conversationId, null);
  await w.run();
  const remote = w.cw.conversationOf(c.conversationId)!;
  assert.equal(w.cw.assignments, [{ conversation_id: remote.id, assignee_id: 5 }, { conversation_id: remote.id, assignee_id: null }]);
});

test('a restricted person is not mirrored any more: their conversation gets one private note, then nothing', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'frank', 'before');
  await w.run();
  await w.app.ctx.db.updateTable('contacts').set({ restricted: 1 }).where('id', '=', c.contactId).execute();
  await customerSays(w.app, w.ch.id, 'frank', 'after one');
  await customerSays(w.app, w.ch.id, 'frank', 'after two');
  await w.run();
  const msgs = w.cw.messagesIn(w.cw.conversationOf(c.conversationId)!.id);
  assert.equal(msgs.map((m) => [m.private, m.content.startsWith('This person restricted')]), [[false, false], [true, true]]);
  assert.ok(!msgs.some((m) => m.content.includes('after')));
});

test('a message the channel could not deliver comes back as a private note', async ({ w }) => {
  const c = await customerSays(w.app, w.ch.id, 'gina', 'hello');
  await w.run();
  const reply = await sendMessage(w.app.ctx, w.ch.clientId, c.conversationId, { text: 'Our reply', authorKind: 'ai' });
  const job = await w.app.ctx.db.selectFrom('jobs').selectAll().where('idempotency_key', '=', `send:${reply.id}`).executeTakeFirstOrThrow();
  const { sendJobHandler } = await import('../messaging/index.ts');
  const { toJob } = await import('../jobs/index.ts');
  await sendJobHandler(w.app.ctx, w.app.ctx.channels).onDead!(toJob(job), 'The platform refused the message');
  await w.run();
  const notes = w.cw.messagesIn(w.cw.conversationOf(c.conversationId)!.id).filter((m) => m.private);
  assert.is(notes.length, 1);
  assert.match(notes[0].content, /Not delivered to the customer: The platform refused the message/);
});

test('re-sync of the last hours fills what is missing (messages from before Connect), and a second one adds nothing', async () => {
  const w = await chatwootWorld({ connect: false });
  try {
    await customerSays(w.app, w.ch.id, 'hana', 'before connect');
    await w.run();
    const { connectWorld } = await import('../testing/chatwoot-fixture.ts');
    await connectWorld(w.app, w.cw, w.ch.clientId);
    await customerSays(w.app, w.ch.id, 'hana', 'after connect');
    await w.run();
    assert.equal(w.cw.messages.map((m) => m.content), ['after connect']);
    const { requestResync } = await import('./index.ts');
    await requestResync(w.app.ctx.db, w.app.ctx.clock, w.ch.clientId, 24, SYSTEM_ACTOR);
    await w.run();
    await requestResync(w.app.ctx.db, w.app.ctx.clock, w.ch.clientId, 24, SYSTEM_ACTOR);
    await w.run();
    assert.equal(w.cw.messages.map((m) => m.content).sort(), ['after connect', 'before connect']);
  } finally {
    await endWorld(w);
  }
});

test.run();
