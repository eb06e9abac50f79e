import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { makeTestApp, buildClient, type TestApp } from '../testing/test-app.ts';
import { quietSandbox, customerSays } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import type { ManualClock } from '../lib/clock.ts';
import {
  listConversations, listMessages, updateContact, getContact, setConversationStatus, assignConversation, storeAttachment, getAttachment,
  sendMessage, MAX_ATTACHMENT_BYTES, type MessagingEvent,
} from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount }>('messaging repositories');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const status = (err: unknown) => (err as { status?: number }).status;

test('the conversation list pages newest activity first with a cursor, and filters by status and unread', async ({ app, ch }) => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await customerSays(app, ch.id, `c${i}`, 'hi')).conversationId);
    (app.clock as ManualClock).advance(1000);
  }
  const first = await listConversations(app.ctx.db, { clientId: ch.clientId, limit: 2 });
  assert.equal(first.data.map((c) => c.id), [ids[4], ids[3]]);
  const second = await listConversations(app.ctx.db, { clientId: ch.clientId, limit: 2, cursor: first.nextCursor! });
  assert.equal(second.data.map((c) => c.id), [ids[2], ids[1]]);
  const last = await listConversations(app.ctx.db, { clientId: ch.clientId, limit: 2, cursor: second.nextCursor! });
  assert.equal(last.data.map((c) => c.id), [ids[0]]);
  assert.is(last.nextCursor, null);

  await setConversationStatus(app.ctx, ch.clientId, ids[1], 'resolved');
  const resolved = await listConversations(app.ctx.db, { clientId: ch.clientId, status: 'resolved' });
  assert.equal(resolved.data.map((c) => c.id), [ids[1]]);
  await sendMessage(app.ctx, ch.clientId, ids[0], { text: 'on it', authorKind: 'agent' });
  const unread = await listConversations(app.ctx.db, { clientId: ch.clientId, unread: true });
  assert.not.ok(unread.data.some((c) => c.id === ids[0]), 'an agent reply reads the thread');
  const other = await buildClient(app);
  assert.equal((await listConversations(app.ctx.db, { clientId: other.id })).data, []);
});

test('a thread pages newest first with a cursor', async ({ app, ch }) => {
  let conv = '';
  for (let i = 0; i < 5; i++) conv = (await customerSays(app, ch.id, 'alice', `m${i}`)).conversationId;
  const a = await listMessages(app.ctx.db, conv, { limit: 3 });
  assert.equal(a.data.map((m) => m.text), ['m4', 'm3', 'm2']);
  const b = await listMessages(app.ctx.db, conv, { limit: 3, cursor: a.nextCursor! });
  assert.equal(b.data.map((m) => m.text), ['m1', 'm0']);
  assert.is(b.nextCursor, null);
  try {
    await listMessages(app.ctx.db, conv, { cursor: 'garbage' });
    assert.unreachable();
  } catch (err) {
    assert.is(status(err), 400);
  }
});

test('an agent corrects a contact: name, phone and tags; bad values name their field', async ({ app, ch }) => {
  const { contactId } = await customerSays(app, ch.id, 'bob', 'hi');
  const c = await updateContact(app.ctx.db, app.ctx.clock, ch.clientId, contactId, { displayName: ' Bob K. ', phone: '8 (701) 555-44-33', tags: ['vip', 'vip', ' wholesale '] });
  assert.is(c.displayName, 'Bob K.');
  assert.is(c.phone, '+77015554433', 'the domestic 8 becomes +7');
  assert.equal(c.tags, ['vip', 'wholesale']);
  try {
    await updateContact(app.ctx.db, app.ctx.clock, ch.clientId, contactId, { phone: 'call me' });
    assert.unreachable();
  } catch (err) {
    assert.is((err as { field?: string }).field, 'phone');
  }
  const other = await buildClient(app);
  try {
    await getContact(app.ctx.db, other.id, contactId);
    assert.unreachable();
  } catch (err) {
    assert.is(status(err), 404);
  }
});

test('status and assignee changes are announced once, and only members of the client can be assigned', async ({ app, ch }) => {
  const { conversationId } = await customerSays(app, ch.id, 'carol', 'hi');
  const events: MessagingEvent[] = [];
  app.ctx.hub.subscribe((e) => events.push(e));
  await setConversationStatus(app.ctx, ch.clientId, conversationId, 'pending');
  await setConversationStatus(app.ctx, ch.clientId, conversationId, 'pending');
  assert.is(events.length, 1);
  const demoAgent = (await app.ctx.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id; // the staff admin: no member
  try {
    await assignConversation(app.ctx, ch.clientId, conversationId, demoAgent);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { field?: string }).field, 'assignee_user_id');
  }
});

test('an attachment is stored in the data dir with its checksum, within the size cap, and only its client can read it', async ({ app, ch }) => {
  const bytes = new TextEncoder().encode('%PDF-1.4 price list');
  const meta = await storeAttachment(app.ctx.db, app.ctx.clock, app.dir, { clientId: ch.clientId, fileName: '../../price list.pdf', mime: 'application/pdf', bytes });
  assert.is(meta.name, '.._.._price list.pdf');
  const stored = await getAttachment(app.ctx.db, app.dir, ch.clientId, meta.id!);
  assert.ok(stored.file.startsWith(`${app.dir}/attachments/${ch.clientId}/`));
  assert.equal(new Uint8Array(fs.readFileSync(stored.file)), bytes);
  assert.is(stored.sha256, createHash('sha256').update(bytes).digest('hex'));
  const other = await buildClient(app);
  try {
    await getAttachment(app.ctx.db, app.dir, other.id, meta.id!);
    assert.unreachable();
  } catch (err) {
    assert.is(status(err), 404);
  }
  try {
    await storeAttachment(app.ctx.db, app.ctx.clock, app.dir, { clientId: ch.clientId, fileName: 'big.bin', mime: 'application/octet-stream', bytes: new Uint8Array(MAX_ATTACHMENT_BYTES + 1) });
    assert.unreachable();
  } catch (err) {
    assert.is(status(err), 413);
  }
  // Sent with a message, the file is linked to it (and to the contact, for export and erasure).
  const { conversationId, contactId } = await customerSays(app, ch.id, 'dan', 'send the price list');
  const msg = await sendMessage(app.ctx, ch.clientId, conversationId, { text: '', attachments: [meta], authorKind: 'agent' });
  const linked = await getAttachment(app.ctx.db, app.dir, ch.clientId, meta.id!);
  assert.is(linked.messageId, msg.id);
  const row = await app.ctx.db.selectFrom('attachments').select('contact_id').where('id', '=', meta.id!).executeTakeFirstOrThrow();
  assert.is(row.contact_id, contactId);
});

test.run();
