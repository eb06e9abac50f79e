// The composition's wiring is data: the hub's subscribers run in the order HUB_SUBSCRIBERS lists
// them, and the job runner's wake-up is one of them (no module-level listener).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from './testing/test-app.ts';
import { customerSays, quietSandbox } from './testing/messaging-fixtures.ts';
import { silentLogger } from './lib/logger.ts';
import { inTransaction, PROCESS_MESSAGE_JOB, type MessagingEvent } from './messaging/index.ts';
import { buildPipeline, HUB_SUBSCRIBERS, type HubSubscriber, type Pipeline } from './pipeline.ts';

const test = suite<{ app: TestApp; pipeline?: Pipeline }>('pipeline composition');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.pipeline = undefined;
});
test.after.each(async (ctx) => {
  await ctx.pipeline?.jobs.stop();
  await ctx.app.cleanup();
});

/** A second pipeline over the app's database (the app's own runner is not started in tests). */
const pipelineOf = (app: TestApp, opts: Parameters<typeof buildPipeline>[1] = {}) => {
  const { config, db, clock, vault } = app.ctx;
  return buildPipeline({ config, db, clock, log: silentLogger, vault, publicUrl: () => 'http://localhost' }, opts);
};

const ping = (clientId: string, at: string): MessagingEvent => ({ type: 'channel.status', clientId, at, channel: { id: 'c', kind: 'sandbox', name: 'n', status: 'connected', lastError: null } });

test('the hub’s subscribers run in the listed order, and a later one sees the events an earlier one added', async ({ app }) => {
  const log: string[] = [];
  const subscribers: Array<() => HubSubscriber> = [
    () => ({ name: 'first', inTransaction: async (_trx, events) => { log.push(`first saw ${events.length}`); events.push(ping('x', 'added')); } }),
    () => ({ name: 'second', inTransaction: async (_trx, events) => { log.push(`second saw ${events.length}`); } }),
    () => ({ name: 'after', afterCommit: (e) => { log.push(`after commit: ${e.at}`); } }),
  ];
  const p = pipelineOf(app, { subscribers });
  await inTransaction({ db: app.ctx.db, hub: p.hub }, async (_trx, events) => { events.push(ping('x', 'cause')); });
  assert.equal(log, ['first saw 1', 'second saw 2', 'after commit: cause', 'after commit: added']);
});

test('the AI state watcher is listed before the outgoing webhooks', () => {
  const names = HUB_SUBSCRIBERS.map((make) => make({} as never).name);
  assert.ok(names.indexOf('ai-state-follows-people') < names.indexOf('outgoing-webhooks'), names.join(', '));
});

test('a committed message wakes the started job runner at once, not at its next poll', async (ctx) => {
  const { app } = ctx;
  const ch = await quietSandbox(app);
  const p = ctx.pipeline = pipelineOf(app, { pollMs: 60_000 });
  await p.jobs.start();
  // The periodic jobs ran once; pushed far out, they leave the runner asleep until its next poll.
  for (let i = 0; i < 100 && p.jobs.running > 0; i++) await new Promise((res) => setTimeout(res, 10));
  await app.ctx.db.updateTable('jobs').set({ run_at: '2999-01-01T00:00:00.000Z' }).where('every_ms', 'is not', null).execute();
  await new Promise((res) => setTimeout(res, 1_500));
  await customerSays({ ...app, ctx: { ...app.ctx, hub: p.hub } }, ch.id, 'ivy', 'Hello');
  const done = async () => (await app.ctx.db.selectFrom('jobs').select('status').where('kind', '=', PROCESS_MESSAGE_JOB).executeTakeFirst())?.status === 'done';
  for (let i = 0; i < 100 && !(await done()); i++) await new Promise((res) => setTimeout(res, 10));
  assert.ok(await done(), 'the message was processed within a second, long before the runner’s next poll');
});

test.run();
