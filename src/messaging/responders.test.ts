import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { quietSandbox, customerSays } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { enqueueJob, JobRunner } from '../jobs/index.ts';
import { silentLogger } from '../lib/logger.ts';
import { ANY_STATE, changeReplyState, getConversation, ingestInbound, processMessageHandler, PROCESS_MESSAGE_JOB, type ResponderStep, type ResponderResult } from './index.ts';

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

const jobsOf = (app: TestApp, kind: string) => app.ctx.db.selectFrom('jobs').select(['status', 'last_error']).where('kind', '=', kind).execute();

test('what a step schedules commits with the processing job’s completion: a failure before the commit leaves neither, the retry leaves both once', async ({ app, ch }) => {
  let runs = 0;
  const later = new Date(app.ctx.clock.now().getTime() + 3_600_000);
  const scheduling: ResponderStep = {
    name: 'ai', order: 200,
    async respond({ message }) {
      runs++;
      return {
        action: 'handled',
        apply: async (trx) => {
          await enqueueJob(trx, app.ctx.clock, { kind: 'step.later', idempotencyKey: `step.later:${message.id}`, runAt: later });
          if (runs === 1) throw new Error('disk full'); // fails after its write, before the commit
        },
      };
    },
  };
  const r = new JobRunner({ db: app.ctx.db, clock: app.ctx.clock, log: silentLogger, baseBackoffMs: 10, random: () => 1 })
    .register(processMessageHandler({ ...app.ctx, log: silentLogger }, [scheduling]));
  await customerSays(app, ch.id, 'gus', 'hi');
  await r.drain();
  assert.equal(await jobsOf(app, 'step.later'), [], 'nothing scheduled');
  assert.equal(await jobsOf(app, PROCESS_MESSAGE_JOB), [{ status: 'pending', last_error: 'disk full' }], 'and the message is still to be processed');
  (app.clock as unknown as { advance(ms: number): void }).advance(10);
  await r.drain();
  assert.is(runs, 2);
  assert.equal(await jobsOf(app, 'step.later'), [{ status: 'pending', last_error: null }], 'scheduled once');
  assert.equal((await jobsOf(app, PROCESS_MESSAGE_JOB)).map((j) => j.status), ['done']);
});

test('what a passing step records commits with the chain’s outcome, also when no step answers', async ({ app, ch }) => {
  const recorder = (name: string, order: number): ResponderStep => ({
    name, order,
    async respond({ message }) {
      return { action: 'pass', apply: async (trx) => { await enqueueJob(trx, app.ctx.clock, { kind: `${name}.noted`, idempotencyKey: `${name}:${message.id}`, runAt: new Date(app.ctx.clock.now().getTime() + 3_600_000) }); } };
    },
  });
  const seen: string[] = [];
  const r = chainRunner(app, [recorder('rules', 100), step('ai', 200, seen, { action: 'answer', text: 'Hi!' })]);
  await customerSays(app, ch.id, 'ian', 'hi');
  await r.drain();
  assert.is((await jobsOf(app, 'rules.noted')).length, 1, 'recorded with the answer');
  assert.is((await outbound(app)).length, 1);
  const alone = chainRunner(app, [recorder('quiet', 100)]);
  await customerSays(app, ch.id, 'jan', 'hello');
  await alone.drain();
  assert.is((await jobsOf(app, 'quiet.noted')).length, 1, 'recorded though nobody answered');
  assert.equal((await jobsOf(app, PROCESS_MESSAGE_JOB)).map((j) => j.status), ['done', 'done']);
});

test('a handoff decided before a person paused the conversation does nothing: no handoff, no text', async ({ app, ch }) => {
  const seen: string[] = [];
  const racing: ResponderStep = {
    name: 'ai', order: 200,
    async respond({ conversation }) {
      seen.push('ai');
      // While the step decides, a person pauses the automatic replies from the inbox.
      await changeReplyState(app.ctx, conversation, ANY_STATE, { to: 'paused', until: null });
      return { action: 'handoff', reason: 'keyword', text: 'Connecting you to a colleague.', authorKind: 'ai' };
    },
  };
  const r = chainRunner(app, [racing]);
  const { conversationId } = await customerSays(app, ch.id, 'hal', 'operator please');
  await r.drain();
  assert.equal(seen, ['ai']);
  const conv = await getConversation(app.ctx.db, ch.clientId, conversationId);
  assert.equal([conv.aiState, conv.aiPausedUntil], ['paused', null], 'the person’s choice holds');
  assert.equal(await outbound(app), [], 'and the customer is not told of a handoff that did not happen');
  assert.equal((await jobsOf(app, PROCESS_MESSAGE_JOB)).map((j) => j.status), ['done']);
});

test.run();
