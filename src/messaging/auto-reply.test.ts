import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, type TestApp } from '../testing/test-app.ts';
import { quietSandbox, customerSays } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { createSession } from '../auth/index.ts';
import { setSetting } from '../settings/index.ts';
import type { ManualClock } from '../lib/clock.ts';
import { ANY_STATE, changeReplyState } from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount }>('offline auto-reply');

const OFFLINE = 'We are offline now and will answer in the morning.';

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

async function enable(app: TestApp, clientId: string) {
  await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'auto_reply.enabled', 'true', clientId);
  await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'auto_reply.text', OFFLINE, clientId);
}

/** The replies the customer actually received (delivered by the sandbox). */
async function received(app: TestApp, conversationId: string) {
  return app.ctx.db.selectFrom('messages').innerJoin('sandbox_deliveries as d', 'd.message_id', 'messages.id')
    .select(['messages.text', 'messages.author_kind']).where('messages.conversation_id', '=', conversationId).orderBy('messages.id').execute();
}

const clock = (app: TestApp) => app.clock as ManualClock;

test('when nobody is online, a customer gets the auto-reply once, and again only after the repeat period', async ({ app, ch }) => {
  await enable(app, ch.clientId);
  const { conversationId } = await customerSays(app, ch.id, 'alice', 'Hello?');
  await app.ctx.jobs.drain();
  assert.equal(await received(app, conversationId), [{ text: OFFLINE, author_kind: 'system' }]);
  await customerSays(app, ch.id, 'alice', 'Anybody?');
  await app.ctx.jobs.drain();
  assert.is((await received(app, conversationId)).length, 1, 'not again within the hour');
  clock(app).advance(61 * 60_000);
  await customerSays(app, ch.id, 'alice', 'Still there?');
  await app.ctx.jobs.drain();
  assert.is((await received(app, conversationId)).length, 2);
});

test('no auto-reply while a member of the client is online; it comes once they have been away long enough', async ({ app, ch }) => {
  await enable(app, ch.clientId);
  const agent = await buildUser(app, 'agent', ch.clientId);
  await createSession(app.ctx.db, app.ctx.clock, agent.id, { ip: '127.0.0.1', userAgent: 'test' });
  const { conversationId } = await customerSays(app, ch.id, 'bob', 'Hello?');
  await app.ctx.jobs.drain();
  assert.equal(await received(app, conversationId), []);
  clock(app).advance(11 * 60_000);
  await customerSays(app, ch.id, 'bob', 'Hello??');
  await app.ctx.jobs.drain();
  assert.equal(await received(app, conversationId), [{ text: OFFLINE, author_kind: 'system' }]);
});

test('members of another client being online does not count', async ({ app, ch }) => {
  await enable(app, ch.clientId);
  const otherClient = (await app.ctx.db.selectFrom('clients').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow()).id;
  const stranger = await buildUser(app, 'agent', otherClient);
  await createSession(app.ctx.db, app.ctx.clock, stranger.id, { ip: '127.0.0.1', userAgent: 'test' });
  const { conversationId } = await customerSays(app, ch.id, 'carol', 'Hi');
  await app.ctx.jobs.drain();
  assert.is((await received(app, conversationId)).length, 1);
});

test('off by default, and silent while an agent has taken the conversation over', async ({ app, ch }) => {
  const first = await customerSays(app, ch.id, 'dan', 'Hi');
  await app.ctx.jobs.drain();
  assert.equal(await received(app, first.conversationId), [], 'not enabled: no answer');
  await enable(app, ch.clientId);
  await changeReplyState(app.ctx, { id: first.conversationId, clientId: ch.clientId }, ANY_STATE, { to: 'paused', until: null });
  await customerSays(app, ch.id, 'dan', 'Hello?');
  await app.ctx.jobs.drain();
  assert.equal(await received(app, first.conversationId), []);
});

test.run();
