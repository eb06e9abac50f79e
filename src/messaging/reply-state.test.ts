// The automatic-reply state has one writer, whose changes are compare-and-set: racing deciders
// (the AI, a person, the people's replies) never overwrite each other's choice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { customerSays, quietSandbox } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { setSetting } from '../settings/index.ts';
import { createWebhook, WEBHOOK_EVENTS } from '../webhooks/index.ts';
import {
  ANY_STATE, changeReplyState, changeReplyStateIn, getConversation, inTransaction, setConversationStatus, type MessagingEvent,
} from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount; heard: MessagingEvent[] }>('reply state (compare-and-set)');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.ch = await quietSandbox(ctx.app);
  ctx.heard = [];
  ctx.app.ctx.hub.subscribe((e) => ctx.heard.push(e), { types: ['conversation.updated'] });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const stateOf = async (app: TestApp, clientId: string, id: string) => {
  const c = await getConversation(app.ctx.db, clientId, id);
  return [c.aiState, c.aiPausedUntil];
};
const aiChanges = (heard: MessagingEvent[]) => heard.filter((e) => e.type === 'conversation.updated' && e.change === 'ai_state')
  .map((e) => (e.type === 'conversation.updated' ? e.conversation.aiState : ''));

test('a person pauses while the AI’s handoff is on its way: the person’s choice holds and the handoff says it did not apply', async ({ app, ch, heard }) => {
  const { conversationId } = await customerSays(app, ch.id, 'alice', 'I want a person');
  const decidedOn = await getConversation(app.ctx.db, ch.clientId, conversationId); // the AI decides on "active"
  const person = await changeReplyState(app.ctx, decidedOn, ANY_STATE, { to: 'paused', until: null });
  assert.ok(person.applied);
  const ai = await inTransaction(app.ctx, (trx, events) => changeReplyStateIn(trx, app.ctx.clock, events, decidedOn, decidedOn, { to: 'handed_off', reason: 'keyword' }));
  assert.is(ai.applied, false, 'the stale decision reports that it did nothing');
  assert.is(ai.event, undefined);
  assert.is(ai.conversation?.aiState, 'paused', 'and shows the state that holds');
  assert.equal(await stateOf(app, ch.clientId, conversationId), ['paused', null]);
  assert.equal(aiChanges(heard), ['paused'], 'only the person’s change was announced');
});

test('a change decided on the current state applies and is announced once; the same change again announces nothing', async ({ app, ch, heard }) => {
  const { conversationId } = await customerSays(app, ch.id, 'bob', 'Hello');
  const conv = await getConversation(app.ctx.db, ch.clientId, conversationId);
  const until = new Date(app.ctx.clock.now().getTime() + 30 * 60_000).toISOString();
  const first = await changeReplyState(app.ctx, conv, (c) => c.aiState === 'active', { to: 'paused', until });
  assert.ok(first.applied);
  assert.is(first.event?.type, 'conversation.updated');
  const again = await changeReplyState(app.ctx, conv, ANY_STATE, { to: 'paused', until });
  assert.ok(again.applied, 'the expectation held');
  assert.is(again.event, undefined, 'but nothing changed');
  assert.equal(await stateOf(app, ch.clientId, conversationId), ['paused', until]);
  assert.equal(aiChanges(heard), ['paused']);
});

test('a stale expected state does nothing, and an expectation on a pause compares its end too', async ({ app, ch }) => {
  const { conversationId } = await customerSays(app, ch.id, 'carol', 'Hello');
  const conv = await getConversation(app.ctx.db, ch.clientId, conversationId);
  const until = new Date(app.ctx.clock.now().getTime() + 60_000).toISOString();
  await changeReplyState(app.ctx, conv, ANY_STATE, { to: 'paused', until });
  const otherPause = { aiState: 'paused' as const, aiPausedUntil: null };
  const r = await changeReplyState(app.ctx, conv, otherPause, { to: 'active' });
  assert.is(r.applied, false);
  assert.equal(await stateOf(app, ch.clientId, conversationId), ['paused', until]);
});

test('resolving a handed-off conversation resumes its automatic replies, and webhooks announce the resume after the status', async ({ app, ch }) => {
  const { db, vault, clock } = app.ctx;
  await setSetting(db, vault, clock, 'webhooks.allow_private_targets', 'true');
  await createWebhook(db, vault, clock, ch.clientId, { url: 'http://127.0.0.1:9/hook', events: [...WEBHOOK_EVENTS] }, SYSTEM_ACTOR);
  const { conversationId } = await customerSays(app, ch.id, 'dan', 'Operator!');
  const conv = await getConversation(db, ch.clientId, conversationId);
  await changeReplyState(app.ctx, conv, conv, { to: 'handed_off', reason: 'keyword' });
  await setConversationStatus(app.ctx, ch.clientId, conversationId, 'resolved');
  assert.equal(await stateOf(app, ch.clientId, conversationId), ['active', null], 'resumed in the resolve’s own transaction');
  // The human-reply watcher is listed before the webhooks (src/pipeline.ts): its change reaches them.
  const rows = await db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('event', '=', 'conversation.updated').orderBy('id').execute();
  const changes = rows.map((r) => (JSON.parse(r.payload) as { data: { change: string; ai_state: string } }).data).map((d) => `${d.change}:${d.ai_state}`);
  assert.equal(changes.slice(-3), ['ai_state:handed_off', 'status:handed_off', 'ai_state:active']);
});

test('another client’s conversation is not found and keeps its state', async ({ app, ch }) => {
  const { conversationId } = await customerSays(app, ch.id, 'erin', 'Hello');
  const other = await quietSandbox(app);
  const status = await changeReplyState(app.ctx, { id: conversationId, clientId: other.clientId }, ANY_STATE, { to: 'off' })
    .then(() => 200, (err: { status?: number }) => err.status);
  assert.is(status, 404);
  assert.equal(await stateOf(app, ch.clientId, conversationId), ['active', null]);
});

test('a change inside a unit that fails before its commit leaves the state as it was and announces nothing', async ({ app, ch, heard }) => {
  const { conversationId } = await customerSays(app, ch.id, 'fay', 'Hello');
  const conv = await getConversation(app.ctx.db, ch.clientId, conversationId);
  heard.length = 0;
  const crash = await inTransaction(app.ctx, async (trx, events) => {
    await changeReplyStateIn(trx, app.ctx.clock, events, conv, conv, { to: 'off' });
    throw new Error('crash before the commit');
  }).then(() => null, (err: Error) => err.message);
  assert.is(crash, 'crash before the commit');
  assert.equal(await stateOf(app, ch.clientId, conversationId), ['active', null]);
  assert.equal(heard, []);
});

test.run();
