import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { quietSandbox, customerSays } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { ingestInbound, setConversationStatus, getConversation, getMessage, storeAttachment, type MessagingEvent } from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount }>('inbound pipeline');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

async function counts(app: TestApp) {
  const n = async (table: 'messages' | 'contacts' | 'conversations' | 'jobs' | 'usage_events' | 'contact_identities') =>
    Number((await app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { messages: await n('messages'), contacts: await n('contacts'), conversations: await n('conversations'), jobs: await n('jobs'), usage: await n('usage_events'), identities: await n('contact_identities') };
}

test('a customer message is stored with its contact, conversation, processing job and usage row, then announced', async ({ app, ch }) => {
  const events: MessagingEvent[] = [];
  let duringTransaction = false;
  app.ctx.hub.subscribe((e) => {
    duringTransaction ||= app.ctx.sqlite.inTransaction;
    events.push(e);
  });
  const r = await customerSays(app, ch.id, 'alice', 'Hello, do you deliver?', 'p-1');
  assert.not.ok(r.duplicate);
  assert.equal(await counts(app), { messages: 1, contacts: 1, conversations: 1, jobs: 1, usage: 1, identities: 1 });
  const msg = await app.ctx.db.selectFrom('messages').selectAll().executeTakeFirstOrThrow();
  assert.is(msg.text, 'Hello, do you deliver?');
  assert.is(msg.direction, 'in');
  assert.is(msg.author_kind, 'contact');
  const job = await app.ctx.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
  assert.is(job.kind, 'message.process');
  assert.is(job.contact_id, r.contactId, 'pending work carries the contact, so erasure reaches it');
  const usage = await app.ctx.db.selectFrom('usage_events').selectAll().executeTakeFirstOrThrow();
  assert.is(usage.kind, 'inbound_message');
  assert.is(usage.client_id, ch.clientId);
  assert.equal(events.map((e) => e.type), ['conversation.updated', 'message.received']);
  assert.not.ok(duringTransaction, 'events are published after the commit');
  const conv = await getConversation(app.ctx.db, ch.clientId, r.conversationId);
  assert.is(conv.unreadCount, 1);
});

test('a redelivered platform message id stores nothing new and answers with the same message', async ({ app, ch }) => {
  const first = await customerSays(app, ch.id, 'alice', 'Hi', 'p-dup');
  const before = await counts(app);
  let published = 0;
  app.ctx.hub.subscribe(() => published++);
  const again = await customerSays(app, ch.id, 'alice', 'Hi', 'p-dup');
  assert.ok(again.duplicate);
  assert.is(again.messageId, first.messageId);
  assert.equal(await counts(app), before);
  assert.is(published, 0);
});

test('concurrent first messages from one new contact create one contact and one conversation', async ({ app, ch }) => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => customerSays(app, ch.id, 'bob', `message ${i}`, `bob-${i}`)));
  const c = await counts(app);
  assert.is(c.contacts, 1);
  assert.is(c.conversations, 1);
  assert.is(c.messages, 20);
  assert.is(new Set(results.map((r) => r.conversationId)).size, 1);
  const conv = await getConversation(app.ctx.db, ch.clientId, results[0].conversationId);
  assert.is(conv.unreadCount, 20);
});

test('a message in a resolved conversation reopens it instead of opening another', async ({ app, ch }) => {
  const first = await customerSays(app, ch.id, 'carol', 'Thanks, bye');
  await setConversationStatus(app.ctx, ch.clientId, first.conversationId, 'resolved');
  const events: MessagingEvent[] = [];
  app.ctx.hub.subscribe((e) => events.push(e));
  const second = await customerSays(app, ch.id, 'carol', 'One more question');
  assert.is(second.conversationId, first.conversationId);
  const conv = await getConversation(app.ctx.db, ch.clientId, first.conversationId);
  assert.is(conv.status, 'open');
  assert.is(conv.resolvedAt, null);
  const update = events.find((e) => e.type === 'conversation.updated');
  assert.ok(update && update.type === 'conversation.updated' && update.change === 'reopened');
});

test('a contact is found by any of its identities and gains the ones it lacked', async ({ app, ch }) => {
  const a = await ingestInbound(app.ctx, { channelAccountId: ch.id, platformMessageId: 'w1', text: 'hi', from: { identities: [{ kind: 'wa_jid', value: '77011234567@s.whatsapp.net' }], displayName: 'Dana' } });
  const b = await ingestInbound(app.ctx, {
    channelAccountId: ch.id, platformMessageId: 'w2', text: 'me again',
    from: { identities: [{ kind: 'wa_lid', value: '12345@lid' }, { kind: 'wa_jid', value: '77011234567@s.whatsapp.net' }], displayName: 'Dana K.', phone: '+77011234567' },
  });
  assert.is(b.contactId, a.contactId);
  const c = await counts(app);
  assert.is(c.contacts, 1);
  assert.is(c.identities, 2);
  const contact = await app.ctx.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
  assert.is(contact.display_name, 'Dana', 'a known name is not overwritten');
  assert.is(contact.phone, '+77011234567', 'an empty phone is filled');
});

test('an unknown channel is refused and nothing is stored', async ({ app }) => {
  try {
    await ingestInbound(app.ctx, { channelAccountId: 'nope', platformMessageId: 'x', text: 'hi', from: { identities: [{ kind: 'sandbox', value: 'z' }] } });
    assert.unreachable();
  } catch (err) {
    assert.is((err as { status?: number }).status, 404);
  }
  assert.equal(await counts(app), { messages: 0, contacts: 0, conversations: 0, jobs: 0, usage: 0, identities: 0 });
});

test('a long message a platform delivered is stored whole, not refused', async ({ app, ch }) => {
  const long = 'Доставка? '.repeat(6_554).slice(0, 65_536); // WhatsApp's longest text: far more than we send (4,096)
  const r = await customerSays(app, ch.id, 'zed', long);
  const m = await app.ctx.db.selectFrom('messages').select('text').where('id', '=', r.messageId).executeTakeFirstOrThrow();
  assert.is(m.text.length, long.length);
  assert.is(m.text, long);
});

test('media an adapter stored comes linked to its message and contact, also when the platform redelivers it', async ({ app, ch }) => {
  const { db, clock } = app.ctx;
  const dataDir = app.ctx.config.dataDir;
  const photo = await storeAttachment(db, clock, dataDir, { clientId: ch.clientId, fileName: 'cake.jpg', mime: 'image/jpeg', bytes: new Uint8Array([1, 2, 3]) });
  const r = await ingestInbound(app.ctx, { channelAccountId: ch.id, platformMessageId: 'media-1', text: 'Like this one', attachments: [photo], from: { identities: [{ kind: 'sandbox', value: 'fay' }] } });
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', photo.id!).executeTakeFirstOrThrow();
  assert.equal([row.message_id, row.contact_id], [r.messageId, r.contactId]);
  const msg = await getMessage(db, ch.clientId, r.messageId);
  assert.equal(msg.attachments.map((a) => a.id), [photo.id]);
  // The adapter downloads the media again for a redelivered message: that copy is the same message's too.
  const again = await storeAttachment(db, clock, dataDir, { clientId: ch.clientId, fileName: 'cake.jpg', mime: 'image/jpeg', bytes: new Uint8Array([1, 2, 3]) });
  const dup = await ingestInbound(app.ctx, { channelAccountId: ch.id, platformMessageId: 'media-1', text: 'Like this one', attachments: [again], from: { identities: [{ kind: 'sandbox', value: 'fay' }] } });
  assert.ok(dup.duplicate);
  const copy = await db.selectFrom('attachments').selectAll().where('id', '=', again.id!).executeTakeFirstOrThrow();
  assert.equal([copy.message_id, copy.contact_id], [r.messageId, r.contactId]);
  const unlinked = await db.selectFrom('attachments').select('id').where('message_id', 'is', null).execute();
  assert.equal(unlinked, [], 'no stored file is left without its message (erasure finds every one)');
});

test('a message the business typed on its phone is stored as a sent agent message, not counted as inbound', async ({ app, ch }) => {
  await customerSays(app, ch.id, 'erin', 'Is it open today?');
  const echo = await ingestInbound(app.ctx, { channelAccountId: ch.id, platformMessageId: 'echo-1', direction: 'out', text: 'Yes, until 8', from: { identities: [{ kind: 'sandbox', value: 'erin' }] } });
  const m = await app.ctx.db.selectFrom('messages').selectAll().where('id', '=', echo.messageId).executeTakeFirstOrThrow();
  assert.is(m.direction, 'out');
  assert.is(m.author_kind, 'agent');
  assert.is(m.status, 'sent');
  assert.is((await counts(app)).usage, 1);
  const conv = await getConversation(app.ctx.db, ch.clientId, echo.conversationId);
  assert.is(conv.unreadCount, 1);
});

test.run();
