import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { quietSandbox, customerSays } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { JobRunner } from '../jobs/index.ts';
import { silentLogger } from '../lib/logger.ts';
import { getConversation, ingestInbound, processMessageHandler, type ResponderStep, type ResponderResult } from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount }>('responder chain');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const step = (name: string, order: number, seen: string[], result: ResponderResult | (() => ResponderResult)): ResponderStep => ({
  name, order,
  async respond() {
    seen.push(name);
    return typeof result === 'function' ? result() : result;
  },
});

/** A runner with the given chain (and no send handler: replies stay queued, to be counted). */
const chainRunner = (app: TestApp, steps: ResponderStep[]) =>
  new JobRunner({ db: app.ctx.db, clock: app.ctx.clock, log: silentLogger }).register(processMessageHandler({ ...app.ctx, log: silentLogger }, steps));

const outbound = (app: TestApp) => app.ctx.db.selectFrom('messages').select(['text', 'author_kind', 'status']).where('direction', '=', 'out').orderBy('id').execute();

test('steps run in their order until one answers; later steps are not asked', async ({ app, ch }) => {
  const seen: string[] = [];
  const r = chainRunner(app, [
    step('fallback', 900, seen, { action: 'answer', text: 'fallback', authorKind: 'system' }),
    step('rules', 100, seen, { action: 'pass' }),
    step('ai', 200, seen, { action: 'answer', text: 'We open at 9.', authorKind: 'ai' }),
  ]);
  await customerSays(app, ch.id, 'alice', 'When do you open?');
  await r.drain();
  assert.equal(seen, ['rules', 'ai']);
  assert.equal(await outbound(app), [{ text: 'We open at 9.', author_kind: 'ai', status: 'queued' }]);
});

test('a handoff stops automatic replies for the conversation and may tell the customer', async ({ app, ch }) => {
  const seen: string[] = [];
  const r = chainRunner(app, [step('ai', 200, seen, { action: 'handoff', reason: 'asked for a person', text: 'Connecting you to a colleague.', authorKind: 'ai' })]);
  const { conversationId } = await customerSays(app, ch.id, 'bob', 'operator please');
  await r.drain();
  assert.is((await getConversation(app.ctx.db, ch.clientId, conversationId)).aiState, 'handed_off');
  assert.equal(await outbound(app), [{ text: 'Connecting you to a colleague.', author_kind: 'ai', status: 'queued' }]);
});

test('a step that takes charge itself ends the chain without a reply', async ({ app, ch }) => {
  const seen: string[] = [];
  const r = chainRunner(app, [step('ai', 200, seen, { action: 'handled' }), step('fallback', 900, seen, { action: 'answer', text: 'x' })]);
  await customerSays(app, ch.id, 'carol', 'hi');
  await r.drain();
  assert.equal(seen, ['ai']);
  assert.equal(await outbound(app), []);
});

test('a step that fails is retried, and the message is answered once', async ({ app, ch }) => {
  const seen: string[] = [];
  let calls = 0;
  const r = new JobRunner({ db: app.ctx.db, clock: app.ctx.clock, log: silentLogger, baseBackoffMs: 10, random: () => 1 })
    .register(processMessageHandler({ ...app.ctx, log: silentLogger }, [step('ai', 200, seen, () => {
      if (++calls === 1) throw new Error('provider timeout');
      return { action: 'answer', text: 'Here you go', authorKind: 'ai' };
    })]));
  await customerSays(app, ch.id, 'dan', 'hi');
  await r.drain();
  (app.clock as unknown as { advance(ms: number): void }).advance(10);
  await r.drain();
  await r.drain();
  assert.is(calls, 2);
  assert.is((await outbound(app)).length, 1);
});

test('messages the business sent from elsewhere reach only the steps that watch echoes', async ({ app, ch }) => {
  const seen: string[] = [];
  const echoes: string[] = [];
  const watcher: ResponderStep = { ...step('ai', 200, seen, { action: 'answer', text: 'x' }), async onEcho({ message }) { echoes.push(message.text); } };
  const r = chainRunner(app, [watcher]);
  await ingestInbound(app.ctx, { channelAccountId: ch.id, platformMessageId: 'e1', direction: 'out', text: 'typed on the phone', from: { identities: [{ kind: 'sandbox', value: 'erin' }] } });
  await r.drain();
  assert.equal(seen, []);
  assert.equal(echoes, ['typed on the phone']);
  assert.equal(await outbound(app), [{ text: 'typed on the phone', author_kind: 'agent', status: 'sent' }]);
});

test.run();
