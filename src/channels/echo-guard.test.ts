import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../testing/test-app.ts';
import { PigeonLoft } from '../testing/pigeon-channel.ts';
import { updateAiSettings } from '../ai/index.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { sendMessage } from '../messaging/index.ts';
import { CHANNEL_DRIVERS, createChannelAccount, type ChannelAccount } from './index.ts';

// A platform echoes what the account sends (WhatsApp's own-message upserts, Instagram's is_echo),
// sometimes before the send call has even returned. An echo of our own send is our message: it is
// stored once and never pauses the AI; what a person typed on the phone is a person's reply.

interface Ctx { app: TestApp; loft: PigeonLoft; account: ChannelAccount; conversationId: string; earlier: string[] }
const test = suite<Ctx>('echoes of our own sends');

const conversation = (app: TestApp, id: string) => app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const outbound = (app: TestApp, id: string) => app.ctx.db.selectFrom('messages').selectAll().where('conversation_id', '=', id).where('direction', '=', 'out').orderBy('id').execute();
/** The outbound messages stored since the test began. */
const newOutbound = async (ctx: Ctx) => (await outbound(ctx.app, ctx.conversationId)).filter((m) => !ctx.earlier.includes(m.id));

test.before.each(async (ctx) => {
  ctx.loft = new PigeonLoft();
  ctx.app = await makeTestApp({ channelDrivers: [...CHANNEL_DRIVERS, ctx.loft.driver] });
  const { db, clock, vault } = ctx.app.ctx;
  const client = await buildClient(ctx.app);
  // The AI answers this client, and a person's reply pauses it for an hour.
  await updateAiSettings(db, vault, clock, client.id, { enabled: true, provider: 'faq', faq: [{ question: 'opening hours', answer: '9 to 19' }], resumeAfterMinutes: 60 }, SYSTEM_ACTOR);
  ctx.account = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'pigeon', name: 'Loft' }, ctx.app.ctx.channels.registry);
  await ctx.app.ctx.channels.startAccount(ctx.account); // makes the adapter (the channels worker is off in tests)
  ctx.conversationId = (await ctx.loft.deliver(ctx.account.id, 'P-1234', 'Hello, are you open?', 'in-1')).conversationId;
  await ctx.app.ctx.jobs.drain(); // what answers the first message at once (the AI's disclosure) is sent before each test
  ctx.earlier = (await outbound(ctx.app, ctx.conversationId)).map((m) => m.id);
  assert.is((await conversation(ctx.app, ctx.conversationId)).ai_state, 'active');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});


test('an echo that arrives before the send returns is our message: stored once, sent with its id, and the AI is not paused', async (ctx) => {
  const { app, loft, account, conversationId } = ctx;
  loft.echoBeforeReturn = true;
  const ours = await sendMessage(app.ctx, account.clientId, conversationId, { text: 'We are open 9 to 19', authorKind: 'ai' });
  await app.ctx.jobs.drain();
  const platformId = `pg-${loft.sent.length}`;
  assert.equal(loft.sent.map((m) => m.messageId).at(-1), ours.id);
  assert.equal((await newOutbound(ctx)).map((m) => [m.id, m.author_kind, m.status, m.platform_message_id]), [[ours.id, 'ai', 'sent', platformId]]);
  assert.is((await conversation(app, conversationId)).ai_state, 'active');
  // The platform delivers the same echo again later: still nothing new.
  const again = await loft.echo(account.id, 'P-1234', 'We are open 9 to 19', platformId);
  assert.equal([again.duplicate, again.messageId], [true, ours.id]);
  assert.is((await newOutbound(ctx)).length, 1);
});

test('an echo that arrives after the platform answered but before the send job stored the outcome is our message too', async (ctx) => {
  const { app, loft, account, conversationId } = ctx;
  const ours = await sendMessage(app.ctx, account.clientId, conversationId, { text: 'On our way', authorKind: 'ai' });
  // The send call alone (as the send job makes it), its outcome not stored yet.
  const to = [{ kind: 'username' as const, value: 'P-1234' }];
  const { platformMessageId } = await app.ctx.channels.send({ id: account.id, clientId: account.clientId, kind: account.kind }, {
    messageId: ours.id, clientId: account.clientId, channelAccountId: account.id, conversationId, contactId: ours.contactId, to, text: ours.text, attachments: [],
  });
  const echo = await loft.echo(account.id, 'P-1234', 'On our way', platformMessageId);
  assert.equal([echo.duplicate, echo.messageId], [true, ours.id]);
  assert.equal((await newOutbound(ctx)).map((m) => [m.id, m.status]), [[ours.id, 'queued']]);
  assert.is((await conversation(app, conversationId)).ai_state, 'active');
});

test('a message a person typed on the phone (matching none of ours) arrives as an agent message and pauses the AI', async (ctx) => {
  const r = await ctx.loft.echo(ctx.account.id, 'P-1234', 'I will call you in five minutes', 'phone-1');
  assert.is(r.duplicate, false);
  assert.equal((await newOutbound(ctx)).map((m) => [m.author_kind, m.status, m.text]), [['agent', 'sent', 'I will call you in five minutes']]);
  assert.is((await conversation(ctx.app, ctx.conversationId)).ai_state, 'paused');
});

test('the same text typed on the phone after our identical send went out is a person\'s message', async (ctx) => {
  ctx.loft.echoBeforeReturn = true;
  await sendMessage(ctx.app.ctx, ctx.account.clientId, ctx.conversationId, { text: 'OK', authorKind: 'ai' });
  await ctx.app.ctx.jobs.drain();
  const typed = await ctx.loft.echo(ctx.account.id, 'P-1234', 'OK', 'phone-2');
  assert.is(typed.duplicate, false);
  assert.equal((await newOutbound(ctx)).map((m) => m.author_kind), ['ai', 'agent']);
  assert.is((await conversation(ctx.app, ctx.conversationId)).ai_state, 'paused');
});

test('after a crash during a send, its echo is still recognised from the message in flight', async (ctx) => {
  const { app, loft, account, conversationId } = ctx;
  const ours = await sendMessage(app.ctx, account.clientId, conversationId, { text: 'Your order has shipped', authorKind: 'ai' });
  loft.hang = true;
  void app.ctx.jobs.drain(); // the send call never returns: the process "dies" during it
  while (loft.sent.at(-1)?.messageId !== ours.id) await new Promise((r) => setTimeout(r, 5));
  await app.close();

  const loft2 = new PigeonLoft();
  const again = await makeTestApp({ dir: app.dir, channelDrivers: [...CHANNEL_DRIVERS, loft2.driver] });
  try {
    await again.ctx.channels.startAccount(account);
    // The platform did take it, and its echo arrives after the restart (memory is empty now).
    const echo = await loft2.echo(account.id, 'P-1234', 'Your order has shipped', 'pg-late');
    assert.equal([echo.duplicate, echo.messageId], [true, ours.id]);
    const out = (await outbound(again, conversationId)).filter((m) => !ctx.earlier.includes(m.id));
    assert.equal(out.map((m) => m.id), [ours.id]);
    assert.is((await conversation(again, conversationId)).ai_state, 'active');
  } finally {
    await again.close();
  }
});

test.run();
