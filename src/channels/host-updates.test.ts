import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../testing/test-app.ts';
import { PigeonLoft } from '../testing/pigeon-channel.ts';
import { getMessage, sendMessage, type MessagingEvent } from '../messaging/index.ts';
import { CHANNEL_DRIVERS, createChannelAccount, getChannelAccount, type ChannelAccount } from './index.ts';

// What a platform reports after the fact, through the channel host every adapter gets: receipts
// for what we sent, a customer's edit or deletion of what they sent, and who the account is.

interface Ctx { app: TestApp; loft: PigeonLoft; account: ChannelAccount; conversationId: string; updates: MessagingEvent[] }
const test = suite<Ctx>('channel host: receipts, profile, message changes');

test.before.each(async (ctx) => {
  ctx.loft = new PigeonLoft();
  ctx.app = await makeTestApp({ channelDrivers: [...CHANNEL_DRIVERS, ctx.loft.driver] });
  const { db, clock, vault } = ctx.app.ctx;
  const client = await buildClient(ctx.app);
  ctx.account = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'pigeon', name: 'Loft' }, ctx.app.ctx.channels.registry);
  await ctx.app.ctx.channels.startAccount(ctx.account);
  ctx.conversationId = (await ctx.loft.deliver(ctx.account.id, 'P-1234', 'Hello', 'in-1')).conversationId;
  await ctx.app.ctx.jobs.drain();
  ctx.updates = [];
  ctx.app.ctx.hub.subscribe((e) => ctx.updates.push(e), { types: ['message.updated'] });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

/** Sends a reply through the send job; returns its id and the platform's id for it. */
async function sent(ctx: Ctx, text: string): Promise<{ id: string; platformId: string }> {
  const m = await sendMessage(ctx.app.ctx, ctx.account.clientId, ctx.conversationId, { text, authorKind: 'agent' });
  await ctx.app.ctx.jobs.drain();
  const stored = await getMessage(ctx.app.ctx.db, ctx.account.clientId, m.id);
  assert.is(stored.status, 'sent');
  return { id: m.id, platformId: stored.platformMessageId! };
}

test('delivery and read receipts move a sent message forward and never back', async (ctx) => {
  const { app, loft, account } = ctx;
  const m = await sent(ctx, 'We are open 9 to 19');
  await loft.report().receipt(account.id, m.platformId, 'delivered', '2026-01-02T10:00:00.000Z');
  let stored = await getMessage(app.ctx.db, account.clientId, m.id);
  assert.equal([stored.status, stored.deliveredAt, stored.readAt], ['delivered', '2026-01-02T10:00:00.000Z', null]);
  await loft.report().receipt(account.id, m.platformId, 'read', '2026-01-02T10:05:00.000Z');
  // A late "delivered" after "read" (receipts arrive out of order) changes nothing.
  await loft.report().receipt(account.id, m.platformId, 'delivered', '2026-01-02T10:06:00.000Z');
  stored = await getMessage(app.ctx.db, account.clientId, m.id);
  assert.equal([stored.status, stored.deliveredAt, stored.readAt], ['read', '2026-01-02T10:00:00.000Z', '2026-01-02T10:05:00.000Z']);
  assert.equal(ctx.updates.map((e) => 'message' in e && [e.message.id, e.message.status]), [[m.id, 'delivered'], [m.id, 'read']]);
});

test('a read receipt alone marks the message delivered too; an unknown or inbound id changes nothing', async (ctx) => {
  const { app, loft, account } = ctx;
  const m = await sent(ctx, 'Thanks');
  await loft.report().receipt(account.id, m.platformId, 'read');
  const stored = await getMessage(app.ctx.db, account.clientId, m.id);
  assert.is(stored.status, 'read');
  assert.ok(stored.deliveredAt && stored.readAt);
  await loft.report().receipt(account.id, 'no-such-id', 'read');
  await loft.report().receipt(account.id, 'in-1', 'read'); // the customer's own message: not a receipt of ours
  assert.is(ctx.updates.length, 1);
});

test("a customer's edit keeps the new text and marks it edited; a deletion marks it deleted", async (ctx) => {
  const { app, loft, account } = ctx;
  const first = await loft.deliver(account.id, 'P-1234', 'I want 2 cakes', 'in-2');
  await loft.report().messageChanged(account.id, 'in-2', { kind: 'edited', text: 'I want 3 cakes' });
  let stored = await getMessage(app.ctx.db, account.clientId, first.messageId);
  assert.is(stored.text, 'I want 3 cakes');
  assert.ok(stored.editedAt);
  assert.is(stored.deletedAt, null);
  await loft.report().messageChanged(account.id, 'in-2', { kind: 'deleted' });
  await loft.report().messageChanged(account.id, 'in-2', { kind: 'deleted' }); // redelivered: nothing new
  stored = await getMessage(app.ctx.db, account.clientId, first.messageId);
  assert.ok(stored.deletedAt);
  assert.equal(ctx.updates.map((e) => 'message' in e && [e.message.text, !!e.message.editedAt, !!e.message.deletedAt]),
    [['I want 3 cakes', true, false], ['I want 3 cakes', true, true]]);
});

test('the profile an adapter reports is stored on the account', async (ctx) => {
  const { app, loft, account } = ctx;
  await loft.report().setProfile(account.id, { phone: '+77011234567', profileName: 'Cake Shop' });
  let a = await getChannelAccount(app.ctx.db, account.clientId, account.id);
  assert.equal([a.phone, a.profileName], ['+77011234567', 'Cake Shop']);
  await loft.report().setProfile(account.id, { profileName: 'Cake Shop Almaty' });
  a = await getChannelAccount(app.ctx.db, account.clientId, account.id);
  assert.equal([a.phone, a.profileName], ['+77011234567', 'Cake Shop Almaty']);
});

test.run();
