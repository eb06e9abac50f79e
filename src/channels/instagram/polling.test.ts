import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import type { GraphStandIn } from '../../testing/graph-stand-in.ts';
import { buildInstagramAccount, IG_ACCOUNT, startMeta } from '../../testing/instagram-fixture.ts';
import { GraphClient } from './graph-client.ts';
import { loadMetaConfig } from './meta-config.ts';
import { deliveryMode, pollConversations, type PollTarget } from './polling.ts';
import type { ChannelAccount } from '../index.ts';

// Without a public HTTPS URL (an on-prem server behind NAT) Meta's webhooks cannot arrive: the
// account polls the Conversations API instead, and what it finds goes the same way in.

interface Ctx { app: TestApp; graph: GraphStandIn; account: ChannelAccount; target: PollTarget }
const test = suite<Ctx>('Instagram polling mode');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  ctx.account = await buildInstagramAccount(ctx.app, (await buildClient(ctx.app)).id);
  ctx.target = {
    graph: new GraphClient(await loadMetaConfig(ctx.app.ctx.db, ctx.app.ctx.vault)), host: 'graph', token: IG_ACCOUNT.token,
    accountId: ctx.account.id, igId: IG_ACCOUNT.igId, owner: IG_ACCOUNT.igId, ingest: ctx.app.ctx.channels.host.ingest,
  };
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

test('the mode follows the public URL: webhooks on public HTTPS, polling on http or a private address', () => {
  assert.equal(deliveryMode('https://habar.example.kz'), { mode: 'webhook' });
  assert.equal(deliveryMode('http://habar.example.kz'), { mode: 'polling', reason: 'not_https' });
  assert.equal(deliveryMode('https://192.168.1.20:8443'), { mode: 'polling', reason: 'private_address' });
  assert.equal(deliveryMode('https://habar.local'), { mode: 'polling', reason: 'private_address' });
});

test('a poll stores new customer messages once, in order, and what the account sent from the app as agent messages', async (ctx) => {
  const t0 = ctx.app.clock.now();
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551001', 'Hello', at(1));
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551001', 'Are you open today?', at(2));
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551002', 'Price of a latte?', at(3));
  const since = new Date(t0.getTime() - 60_000).toISOString();
  const first = await pollConversations(ctx.target, since);
  assert.is(first.stored, 3);
  const again = await pollConversations(ctx.target, since);
  assert.is(again.stored, 0, 'the same mids write nothing');
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551001', 'Yes, until 19', at(10), true);
  const next = await pollConversations(ctx.target, first.since);
  assert.is(next.stored, 1);
  const messages = await ctx.app.ctx.db.selectFrom('messages').selectAll().orderBy('id').execute();
  assert.equal(messages.map((m) => [m.direction, m.author_kind, m.text]), [
    ['in', 'contact', 'Hello'], ['in', 'contact', 'Are you open today?'], ['in', 'contact', 'Price of a latte?'], ['out', 'agent', 'Yes, until 19'],
  ]);
  assert.is((await ctx.app.ctx.db.selectFrom('conversations').select('id').execute()).length, 2);
});

test.run();
