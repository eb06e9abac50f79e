import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { customerSays, quietSandbox } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { listInbox } from './inbox-queries.ts';
import { mergeSearchIndexes } from './search-merge.ts';
import { indexPendingMessages } from './search-index.ts';

// The search index merges in bounded steps from a periodic job, not inside message commits.

interface Ctx { app: TestApp; ch: ChannelAccount }
const test = suite<Ctx>('search index merging');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const leafRows = (app: TestApp) => (app.ctx.sqlite.prepare('SELECT count(*) AS n FROM messages_fts_data').get() as { n: number }).n;

test('messages stay searchable while segments pile up, and the merge job folds them together', async ({ app, ch }) => {
  for (let i = 0; i < 40; i++) {
    await customerSays(app, ch.id, `cust-${i}`, `заказ номер ${1000 + i} доставка Алматы`);
    await indexPendingMessages(app.ctx.db); // light traffic: the indexing job takes one message per run
  }
  const search = async (q: string) => (await listInbox(app.ctx.db, { clientId: ch.clientId, search: q, limit: 200 })).data.length;
  assert.is(await search('доставка'), 40);
  const before = leafRows(app);
  for (let i = 0; i < 20; i++) await mergeSearchIndexes(app.ctx.db);
  assert.ok(leafRows(app) < before, `merging reduces the index's segments (${before} → ${leafRows(app)} rows)`);
  assert.is(await search('доставка'), 40);
  assert.is(await search('номер 1017'), 1);
});

test.run();
