import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { quietSandbox } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { ingestInbound, type InboundEvent, type IngestResult, type MessagingEvent } from './index.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount }>('inbound group commit');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const says = (channelAccountId: string, customer: string, platformMessageId: string, text = 'Hello'): InboundEvent =>
  ({ channelAccountId, platformMessageId, text, from: { identities: [{ kind: 'sandbox', value: customer }] } });

/** Counts the transactions committed on the app's SQLite handle while `fn` runs. */
async function commitsDuring(app: TestApp, fn: () => Promise<unknown>): Promise<number> {
  const sqlite = app.ctx.sqlite;
  const Stmt = Object.getPrototypeOf(sqlite.prepare('SELECT 1')) as { run: (...a: unknown[]) => unknown };
  const run = Stmt.run;
  let commits = 0;
  Stmt.run = function (this: { source: string }, ...a: unknown[]) {
    if (/^commit/i.test(this.source)) commits++;
    return run.apply(this, a);
  };
  try {
    await fn();
  } finally {
    Stmt.run = run;
  }
  return commits;
}

test('concurrent messages are stored in one transaction and each is acknowledged with its own id', async ({ app, ch }) => {
  const received: MessagingEvent[] = [];
  app.ctx.hub.subscribe((e) => { if (e.type === 'message.received') received.push(e); });
  let results: IngestResult[] = [];
  const commits = await commitsDuring(app, async () => {
    results = await Promise.all(Array.from({ length: 20 }, (_, i) => ingestInbound(app.ctx, says(ch.id, `c${i % 3}`, `p-${i}`))));
  });
  assert.is(commits, 1, 'one commit for the whole burst');
  assert.is(new Set(results.map((r) => r.messageId)).size, 20);
  assert.ok(results.every((r) => !r.duplicate));
  const stored = await app.ctx.db.selectFrom('messages').select(['id', 'platform_message_id']).execute();
  assert.is(stored.length, 20, 'every acknowledged message is in the database');
  assert.is((await app.ctx.db.selectFrom('contacts').selectAll().execute()).length, 3, 'one contact per customer, even for first messages in one batch');
  assert.is((await app.ctx.db.selectFrom('conversations').selectAll().execute()).length, 3);
  assert.is((await app.ctx.db.selectFrom('jobs').selectAll().execute()).length, 20, 'each message has its processing job');
  assert.is(received.length, 20, 'each message is announced after the commit');
});

test('a replay inside the same batch stores nothing new and answers the first message id', async ({ app, ch }) => {
  const [a, b] = await Promise.all([ingestInbound(app.ctx, says(ch.id, 'alice', 'same')), ingestInbound(app.ctx, says(ch.id, 'alice', 'same'))]);
  assert.is(b.messageId, a.messageId);
  assert.ok(b.duplicate);
  assert.is((await app.ctx.db.selectFrom('messages').selectAll().execute()).length, 1);
});

test('one bad message in a batch fails alone; the others are stored', async ({ app, ch }) => {
  const outcomes = await Promise.allSettled([
    ingestInbound(app.ctx, says(ch.id, 'alice', 'ok-1')),
    ingestInbound(app.ctx, says('no-such-channel', 'bob', 'bad')),
    ingestInbound(app.ctx, says(ch.id, 'carol', 'ok-2')),
  ]);
  assert.equal(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
  const ids = (await app.ctx.db.selectFrom('messages').select('platform_message_id').orderBy('platform_message_id').execute()).map((r) => r.platform_message_id);
  assert.equal(ids, ['ok-1', 'ok-2']);
});

test('an oversize text is refused before anything is written', async ({ app, ch }) => {
  const commits = await commitsDuring(app, async () => {
    await ingestInbound(app.ctx, says(ch.id, 'alice', 'big', 'x'.repeat(1_000_000))).then(() => assert.unreachable('stored'), (err: Error) => assert.match(err.message, /at most/));
  });
  assert.is(commits, 0);
  assert.is((await app.ctx.db.selectFrom('messages').selectAll().execute()).length, 0);
});

test.run();
