import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import type { GraphStandIn } from '../../testing/graph-stand-in.ts';
import { buildInstagramAccount, IG_ACCOUNT, startMeta } from '../../testing/instagram-fixture.ts';
import { GraphClient } from './graph-client.ts';
import { loadMetaConfig } from './meta-config.ts';
import { deliveryMode, pollConversations, type PollTarget } from './polling.ts';
import { withStoredMedia } from './media.ts';
import { createInstagramAdapter } from './adapter.ts';
import { instagramDriver } from './driver.ts';
import type { ChannelAccount } from '../index.ts';
import fs from 'node:fs';
import path from 'node:path';

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
    withMedia: async (event) => withStoredMedia({ ...ctx.app.ctx, dataDir: ctx.app.ctx.config.dataDir, graph: new GraphClient(await loadMetaConfig(ctx.app.ctx.db, ctx.app.ctx.vault)) }, ctx.account.clientId, event),
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

test('a message written in the same second as the last poll\'s newest still arrives at the next poll', async (ctx) => {
  const at = new Date(ctx.app.clock.now().getTime() + 1000);
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551005', 'One', at);
  const first = await pollConversations(ctx.target, new Date(at.getTime() - 60_000).toISOString());
  assert.is(first.stored, 1);
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551005', 'Two', at);
  assert.is((await pollConversations(ctx.target, first.since)).stored, 1);
});

test('a polled photo and file are downloaded at once and linked to their message, as a webhook\'s are', async (ctx) => {
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  const pdf = new TextEncoder().encode('%PDF-1.4 price list');
  ctx.graph.files.set('menu.jpg', { mime: 'image/jpeg', bytes: photo });
  ctx.graph.files.set('prices.pdf', { mime: 'application/pdf', bytes: pdf });
  const at = new Date(ctx.app.clock.now().getTime() + 1000);
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551003', 'Here is what I mean', at, false, [
    { name: 'menu.jpg', mime: 'image/jpeg', size: photo.length }, { name: 'prices.pdf', mime: 'application/pdf', size: pdf.length },
  ]);
  const r = await pollConversations(ctx.target, new Date(at.getTime() - 60_000).toISOString());
  assert.is(r.stored, 1);
  const { db, config } = ctx.app.ctx;
  const message = await db.selectFrom('messages').selectAll().executeTakeFirstOrThrow();
  assert.is(message.text, 'Here is what I mean');
  const files = await db.selectFrom('attachments').selectAll().where('message_id', '=', message.id).orderBy('file_name').execute();
  assert.equal(files.map((f) => [f.file_name, f.mime, f.size]), [['menu.jpg', 'image/jpeg', photo.length], ['prices.pdf', 'application/pdf', pdf.length]]);
  assert.equal(new Uint8Array(fs.readFileSync(path.join(config.dataDir, 'attachments', files[0].path))), photo);
});

test('in polling mode the account asks on its own, every interval, and stops when the channel stops', async (ctx) => {
  const { db } = ctx.app.ctx;
  const host = { ...ctx.app.ctx.channels.host, publicUrl: () => 'http://192.168.1.20:8080' };
  const adapter = createInstagramAdapter(ctx.account, host, instagramDriver, { pollEveryMs: 40 });
  const count = async () => (await db.selectFrom('messages').select('id').execute()).length;
  const until = async (n: number) => {
    for (let i = 0; i < 100 && (await count()) < n; i++) await new Promise((r) => setTimeout(r, 20));
    return count();
  };
  await adapter.start();
  try {
    ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551004', 'Anyone there?', new Date(ctx.app.clock.now().getTime() + 1000));
    assert.is(await until(1), 1, 'the first message arrived without a webhook');
    ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551004', 'Hello?', new Date(ctx.app.clock.now().getTime() + 2000));
    assert.is(await until(2), 2, 'and the next one at a later poll');
  } finally {
    await adapter.stop();
  }
  const polls = ctx.graph.requests.filter((r) => r.path.endsWith('/conversations')).length;
  ctx.graph.addConversationMessage(IG_ACCOUNT.igId, '5551004', 'After the stop', new Date(ctx.app.clock.now().getTime() + 3000));
  await new Promise((r) => setTimeout(r, 200));
  assert.is(await count(), 2, 'a stopped channel polls no more');
  assert.is(ctx.graph.requests.filter((r) => r.path.endsWith('/conversations')).length, polls);
});

test('with a public HTTPS address the account does not poll: Meta\'s webhooks bring the messages', async (ctx) => {
  const host = { ...ctx.app.ctx.channels.host, publicUrl: () => 'https://habar.example.kz' };
  const adapter = createInstagramAdapter(ctx.account, host, instagramDriver, { pollEveryMs: 20 });
  await adapter.start();
  await new Promise((r) => setTimeout(r, 150));
  await adapter.stop();
  assert.is(ctx.graph.requests.filter((r) => r.path.endsWith('/conversations')).length, 0);
});

test.run();
