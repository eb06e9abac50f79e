import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { EXPIRED_TOKEN, OUTSIDE_WINDOW, type GraphStandIn } from '../../testing/graph-stand-in.ts';
import { buildInstagramAccount, deliverToApp, igDelivery, igMessage, IG_ACCOUNT, startMeta } from '../../testing/instagram-fixture.ts';
import { updateAiSettings } from '../../ai/index.ts';
import { SYSTEM_ACTOR } from '../../audit/index.ts';
import { setSetting } from '../../settings/index.ts';
import { sendMessage, type OutboundInput } from '../../messaging/index.ts';
import type { ChannelAccount } from '../index.ts';

interface Ctx { app: TestApp; graph: GraphStandIn; account: ChannelAccount; conversationId: string }
const test = suite<Ctx>('sending to Instagram through the outbox');
const CUSTOMER = '5551001';
const HOUR = 3600_000;

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  const client = await buildClient(ctx.app);
  ctx.account = await buildInstagramAccount(ctx.app, client.id);
  await deliverToApp(ctx.app, igDelivery([igMessage(CUSTOMER, 'Do you have oat milk?')]));
  ctx.conversationId = (await ctx.app.ctx.db.selectFrom('conversations').select('id').executeTakeFirstOrThrow()).id;
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

async function send(ctx: Ctx, input: Partial<OutboundInput> = {}) {
  const m = await sendMessage(ctx.app.ctx, ctx.account.clientId, ctx.conversationId, { text: 'Yes, we do', authorKind: 'agent', ...input });
  await ctx.app.ctx.jobs.drain();
  return ctx.app.ctx.db.selectFrom('messages').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
}
const outbound = (ctx: Ctx) => ctx.app.ctx.db.selectFrom('messages').selectAll().where('direction', '=', 'out').execute();
const advance = (ctx: Ctx, ms: number) => (ctx.app.clock as ManualClock).advance(ms);

test('a reply inside 24 hours goes to the customer through the Send API and records Meta\'s message id', async (ctx) => {
  const m = await send(ctx);
  assert.equal([m.status, m.platform_message_id], ['sent', ctx.graph.sent[0].messageId]);
  assert.equal(ctx.graph.sent[0].body, { recipient: { id: CUSTOMER }, message: { text: 'Yes, we do' } });
});

test('past 24 hours an automatic reply is refused with a reason; a person\'s reply goes tagged HUMAN_AGENT only where the client allows it, up to 7 days', async (ctx) => {
  advance(ctx, 25 * HOUR);
  const ai = await send(ctx, { authorKind: 'ai', text: 'Automatic answer' });
  assert.is(ai.status, 'failed');
  assert.match(ai.error!, '24 hours');
  const person = await send(ctx);
  assert.equal([person.status, ctx.graph.sent.length], ['failed', 0]);
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.clock, 'instagram.human_agent_tag', 'true', ctx.account.clientId);
  const tagged = await send(ctx);
  assert.is(tagged.status, 'sent');
  assert.equal([ctx.graph.sent[0].body.messaging_type, ctx.graph.sent[0].body.tag], ['MESSAGE_TAG', 'HUMAN_AGENT']);
  assert.is((await send(ctx, { authorKind: 'ai' })).status, 'failed', 'never for automatic replies');
  advance(ctx, 7 * 24 * HOUR);
  const late = await send(ctx);
  assert.is(late.status, 'failed');
  assert.match(late.error!, '7 days');
  assert.is(ctx.graph.sent.length, 1);
});

test('Meta\'s own "outside the window" refusal fails the message with its reason, without retrying', async (ctx) => {
  ctx.graph.fail(/messages$/, OUTSIDE_WINDOW);
  const m = await send(ctx);
  assert.is(m.status, 'failed');
  assert.match(m.error!, 'outside of allowed window');
  assert.is(ctx.graph.requests.filter((r) => r.path.endsWith('/messages')).length, 1);
});

test('an expired token fails the send and turns the channel to reconnect needed', async (ctx) => {
  ctx.graph.fail(/messages$/, EXPIRED_TOKEN);
  const m = await send(ctx);
  assert.is(m.status, 'failed');
  assert.match(m.error!, 'connect the account again');
  const account = await ctx.app.ctx.db.selectFrom('channel_accounts').selectAll().where('id', '=', ctx.account.id).executeTakeFirstOrThrow();
  assert.equal([account.status, account.last_error], ['reconnect_needed', EXPIRED_TOKEN.message]);
});

test('the echo of our own send, arriving before the Send API answers, is our message: stored once and the AI stays on', async (ctx) => {
  const { app } = ctx;
  await updateAiSettings(app.ctx.db, app.ctx.vault, app.ctx.clock, ctx.account.clientId, { enabled: true, provider: 'faq', faq: [{ question: 'opening hours', answer: '9 to 19' }], resumeAfterMinutes: 60 }, SYSTEM_ACTOR);
  await app.ctx.jobs.drain();
  const before = (await outbound(ctx)).length;
  ctx.graph.onSend = async ({ recipientId, text, messageId }) => {
    const echo = { sender: { id: IG_ACCOUNT.igId }, recipient: { id: recipientId }, timestamp: Date.now(), message: { mid: messageId, text, is_echo: true } };
    assert.is((await deliverToApp(app, igDelivery([echo]))).status, 200);
  };
  const m = await send(ctx, { authorKind: 'ai', text: 'We are open 9 to 19' });
  assert.equal([m.status, m.platform_message_id], ['sent', ctx.graph.sent.at(-1)!.messageId]);
  assert.is((await outbound(ctx)).length, before + 1);
  const conv = await app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', ctx.conversationId).executeTakeFirstOrThrow();
  assert.is(conv.ai_state, 'active');
  // Meta delivers the same echo again later: nothing new.
  const again = { sender: { id: IG_ACCOUNT.igId }, recipient: { id: CUSTOMER }, timestamp: Date.now(), message: { mid: m.platform_message_id, text: m.text, is_echo: true } };
  ctx.graph.onSend = undefined;
  await deliverToApp(app, igDelivery([again]));
  assert.is((await outbound(ctx)).length, before + 1);
});

test('the echo arriving after Meta answered but before the send job stored the id is our message too', async (ctx) => {
  const { app, account, conversationId } = ctx;
  const ours = await sendMessage(app.ctx, account.clientId, conversationId, { text: 'On our way', authorKind: 'ai' });
  // The send call alone, as the send job makes it; its outcome not stored yet.
  const { platformMessageId } = await app.ctx.channels.send({ id: account.id, clientId: account.clientId, kind: account.kind }, {
    messageId: ours.id, clientId: account.clientId, channelAccountId: account.id, conversationId, contactId: ours.contactId,
    to: [{ kind: 'ig_id', value: CUSTOMER }], text: ours.text, attachments: [],
  });
  const echo = { sender: { id: IG_ACCOUNT.igId }, recipient: { id: CUSTOMER }, timestamp: Date.now(), message: { mid: platformMessageId, text: ours.text, is_echo: true } };
  assert.is((await deliverToApp(app, igDelivery([echo]))).status, 200);
  const out = await outbound(ctx);
  assert.equal(out.map((m) => [m.id, m.status]), [[ours.id, 'queued']], 'no second message for the echo');
  const conv = await app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
  assert.not.equal(conv.ai_state, 'paused');
});

test('a text longer than Instagram takes, or a file without a public URL, fails with a clear reason', async (ctx) => {
  const long = await send(ctx, { text: 'x'.repeat(1001) });
  assert.equal([long.status, long.error], ['failed', 'Instagram takes at most 1000 characters in one message']);
  const file = await send(ctx, { text: '', attachments: [{ name: 'a.pdf', mime: 'application/pdf', size: 10 }] });
  assert.match(file.error!, 'by its public URL');
  const image = await send(ctx, { text: '', attachments: [{ name: 'a.jpg', mime: 'image/jpeg', size: 10, url: 'https://cdn.example/a.jpg' }] });
  assert.is(image.status, 'sent');
  assert.equal(ctx.graph.sent[0].body.message, { attachment: { type: 'image', payload: { url: 'https://cdn.example/a.jpg' } } });
});

test.run();
