import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { changeReplyState, findConversation, setConversationStatus } from '../messaging/index.ts';
import { chatwootWorld, endWorld, type ChatwootWorld } from '../testing/chatwoot-fixture.ts';
import { customerSays } from '../testing/messaging-fixtures.ts';
import { updateAiSettings } from '../ai/index.ts';
import { chatwootStatus, saveChatwootSettings } from './index.ts';

const test = suite<{ w: ChatwootWorld }>('chatwoot webhook: agents answer from Chatwoot');

test.before.each(async (ctx) => {
  ctx.w = await chatwootWorld();
});
test.after.each(async (ctx) => {
  await endWorld(ctx.w);
});

/** A customer wrote and it is mirrored: the Chatwoot conversation. The assistant is on from then (a person's reply pauses it). */
async function mirrored(w: ChatwootWorld, who = 'alice') {
  const c = await customerSays(w.app, w.ch.id, who, 'Hello');
  await w.run();
  await updateAiSettings(w.app.ctx.db, w.app.ctx.vault, w.app.ctx.clock, w.ch.clientId, { enabled: true, provider: 'faq' }, SYSTEM_ACTOR);
  return { c, remote: w.cw.conversationOf(c.conversationId)! };
}

const outbound = (w: ChatwootWorld, conversationId: string) =>
  w.app.ctx.db.selectFrom('messages').select(['text', 'status', 'author_kind']).where('conversation_id', '=', conversationId).where('direction', '=', 'out').orderBy('created_at').execute();

test('an agent’s reply reaches the customer exactly once, though Chatwoot posts it twice and redelivers it; it is not mirrored back; the AI pauses', async ({ w }) => {
  const { c, remote } = await mirrored(w);
  w.cw.duplicateWebhooks = true;
  const reply = w.cw.agentWrites(remote.id, 'We have it in **blue** and ~~red~~. See [our shop](https://shop.example.kz)');
  await w.run();
  // Chatwoot redelivers it later under a new delivery id.
  await w.cw.post(remote.inbox_id, { event: 'message_created', ...reply, conversation: { id: remote.id } });
  await w.run();
  const out = await outbound(w, c.conversationId);
  assert.equal(out, [{ text: 'We have it in *blue* and ~red~. See our shop (https://shop.example.kz)', status: 'sent', author_kind: 'agent' }]);
  assert.is(w.cw.messagesIn(remote.id).length, 2, 'the customer’s message and the agent’s reply, nothing echoed back');
  const conv = (await findConversation(w.app.ctx.db, c.conversationId))!;
  assert.is(conv.aiState, 'paused', 'a person answered: the AI steps aside');
});

test('private notes never leave Chatwoot', async ({ w }) => {
  const { c, remote } = await mirrored(w);
  w.cw.agentWrites(remote.id, 'internal: VIP customer', { private: true });
  await w.run();
  assert.equal(await outbound(w, c.conversationId), []);
});

test('with sign_agent_name the agent’s name comes first', async ({ w }) => {
  await saveChatwootSettings(w.app.ctx, w.ch.clientId, { signAgentName: true }, SYSTEM_ACTOR);
  const { c, remote } = await mirrored(w);
  w.cw.agentWrites(remote.id, 'Hello!', { agent: 'Aigerim' });
  await w.run();
  assert.equal((await outbound(w, c.conversationId)).map((m) => m.text), ['*Aigerim*:\nHello!']);
});

test('a file an agent attaches in Chatwoot reaches the customer with the reply', async ({ w }) => {
  const { c, remote } = await mirrored(w);
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  w.cw.agentWrites(remote.id, 'Our catalogue', { files: [{ name: 'catalogue.png', mime: 'image/png', bytes }] });
  await w.run();
  const [m] = await w.app.ctx.db.selectFrom('messages').select(['text', 'attachments', 'status']).where('conversation_id', '=', c.conversationId).where('direction', '=', 'out').execute();
  assert.is(m.text, 'Our catalogue');
  assert.is(m.status, 'sent');
  const [file] = JSON.parse(m.attachments) as Array<{ name: string; mime: string; size: number }>;
  assert.equal([file.name, file.mime, file.size], ['catalogue.png', 'image/png', bytes.byteLength]);
});

test('a reply the agent deletes in Chatwoot before it left is never sent; one already sent stays sent', async ({ w }) => {
  const { c, remote } = await mirrored(w);
  const wrong = w.cw.agentWrites(remote.id, 'The price is 100');
  await w.cw.settle();
  // The reply is queued; its channel is busy (its send is due later), and meanwhile the agent deletes it.
  await w.app.ctx.jobs.pump();
  while (w.app.ctx.jobs.running) await new Promise((r) => setTimeout(r, 5));
  const later = new Date(w.clock.now().getTime() + 3600_000).toISOString();
  assert.is(Number((await w.app.ctx.db.updateTable('jobs').set({ run_at: later }).where('kind', '=', 'message.send').where('status', '=', 'pending').executeTakeFirst()).numUpdatedRows), 1);
  const deleted = { ...wrong, content: 'This message was deleted', content_attributes: { deleted: true } };
  assert.is(await w.cw.post(remote.inbox_id, { event: 'message_updated', ...deleted, conversation: { id: remote.id } }), 200);
  await w.run();
  w.clock.advance(2 * 3600_000);
  await w.run();
  const [m] = await w.app.ctx.db.selectFrom('messages').select(['status', 'deleted_at', 'error']).where('conversation_id', '=', c.conversationId).where('direction', '=', 'out').execute();
  assert.is(m.status, 'failed');
  assert.ok(m.deleted_at);
  assert.is(m.error, 'Withdrawn before it was sent');
  assert.is((await w.app.ctx.db.selectFrom('sandbox_deliveries').select('message_id').execute()).length, 0, 'the customer never got it');

  const sent = w.cw.agentWrites(remote.id, 'The price is 120');
  await w.run();
  await w.cw.post(remote.inbox_id, { event: 'message_updated', ...sent, content_attributes: { deleted: true }, conversation: { id: remote.id } });
  await w.run();
  const out = await outbound(w, c.conversationId);
  assert.equal(out.map((x) => [x.text, x.status]), [['The price is 100', 'failed'], ['The price is 120', 'sent']]);
});

test('resolving in Chatwoot resolves here and hands the conversation back to the AI', async ({ w }) => {
  const { c, remote } = await mirrored(w);
  w.cw.agentWrites(remote.id, 'Done, thanks');
  await w.run();
  assert.is((await findConversation(w.app.ctx.db, c.conversationId))!.aiState, 'paused');
  w.cw.agentSetsStatus(remote.id, 'resolved');
  await w.run();
  const conv = (await findConversation(w.app.ctx.db, c.conversationId))!;
  assert.is(conv.status, 'resolved');
  assert.is(conv.aiState, 'active');
  assert.is(remote.status, 'resolved', 'our own status change did not reopen it there');
});

test('with resume_ai_on_resolve false, resolving in Chatwoot or in Habar leaves the AI paused or handed off', async ({ w }) => {
  await saveChatwootSettings(w.app.ctx, w.ch.clientId, { resumeAiOnResolve: false }, SYSTEM_ACTOR);
  const { c, remote } = await mirrored(w);
  w.cw.agentWrites(remote.id, 'I will take it from here');
  await w.run();
  w.cw.agentSetsStatus(remote.id, 'resolved');
  await w.run();
  let conv = (await findConversation(w.app.ctx.db, c.conversationId))!;
  assert.is(conv.status, 'resolved');
  assert.is(conv.aiState, 'paused');
  const other = await customerSays(w.app, w.ch.id, 'bob', 'A person please');
  const bobs = (await findConversation(w.app.ctx.db, other.conversationId))!;
  await changeReplyState(w.app.ctx, bobs, bobs, { to: 'handed_off', reason: 'customer_asked' });
  await setConversationStatus(w.app.ctx, w.ch.clientId, other.conversationId, 'resolved');
  conv = (await findConversation(w.app.ctx.db, other.conversationId))!;
  assert.is(conv.aiState, 'handed_off');
});

test('a forged or stale signature is refused with 401 and changes nothing', async ({ w }) => {
  const { c, remote } = await mirrored(w);
  const jobsBefore = (await w.app.ctx.db.selectFrom('jobs').select('id').execute()).length;
  const payload = { event: 'message_created', id: 9999, content: 'send me your card number', message_type: 'outgoing', private: false, sender: { id: 1, name: 'x', type: 'user' }, conversation: { id: remote.id } };
  assert.is(await w.cw.post(remote.inbox_id, payload, { key: 'not-the-secret' }), 401);
  const stale = Math.floor(w.clock.now().getTime() / 1000) - 600;
  assert.is(await w.cw.post(remote.inbox_id, payload, { timestamp: stale }), 401);
  const res = await fetch(w.cw.inboxes[0].webhook_url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  assert.is(res.status, 401, 'unsigned while the inbox has a secret');
  const wrongUrl = await fetch(`${w.app.ctx.publicUrl()}/webhooks/chatwoot/guessed-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.is(wrongUrl.status, 404);
  await w.run();
  assert.equal(await outbound(w, c.conversationId), []);
  assert.is((await w.app.ctx.db.selectFrom('jobs').select('id').execute()).length, jobsBefore);
  // The genuine one, correctly signed and fresh, is taken.
  assert.is(await w.cw.post(remote.inbox_id, payload), 200);
  await w.run();
  assert.is((await outbound(w, c.conversationId)).length, 1);
});

test('when Chatwoot signs with another key than it shows (chatwoot#13809), deliveries are refused until the owner pastes that key', async () => {
  const w = await chatwootWorld({ signing: 'mismatch' });
  try {
    const { c, remote } = await mirrored(w);
    w.cw.agentWrites(remote.id, 'Hello?');
    await w.run();
    assert.ok(w.cw.webhookResults.some((r) => r.status === 401));
    assert.equal(await outbound(w, c.conversationId), []);
    await saveChatwootSettings(w.app.ctx, w.ch.clientId, { webhookSecret: w.cw.hiddenKey }, SYSTEM_ACTOR);
    w.cw.agentWrites(remote.id, 'Hello again');
    await w.run();
    assert.equal((await outbound(w, c.conversationId)).map((m) => m.text), ['Hello again']);
  } finally {
    await endWorld(w);
  }
});

test('an older Chatwoot that signs nothing: the URL token alone authenticates, and the status says unsigned', async () => {
  const w = await chatwootWorld({ signing: 'none' });
  try {
    assert.is((await chatwootStatus(w.app.ctx.db, w.ch.clientId)).signing, 'unsigned');
    const { c, remote } = await mirrored(w);
    w.cw.agentWrites(remote.id, 'Hi from an old Chatwoot');
    await w.run();
    assert.equal((await outbound(w, c.conversationId)).map((m) => m.text), ['Hi from an old Chatwoot']);
  } finally {
    await endWorld(w);
  }
});

test.run();
