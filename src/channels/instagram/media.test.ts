import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import type { ManualClock } from '../../lib/clock.ts';
import type { GraphStandIn } from '../../testing/graph-stand-in.ts';
import { buildInstagramAccount, deliverToApp, igDelivery, igMessage, startMeta } from '../../testing/instagram-fixture.ts';
import { sendMessage, storeAttachment } from '../../messaging/index.ts';
import type { ChannelAccount } from '../index.ts';

// Instagram's Send API takes a file only by a public URL: an agent's upload is served at a signed,
// expiring link on Habar's public address, for that one file, without a session.

interface Ctx { app: TestApp; graph: GraphStandIn; account: ChannelAccount; conversationId: string }
const PUBLIC = 'https://habar.example.kz';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);

async function setUp(ctx: Ctx, flags: Record<string, string>) {
  ctx.app = await makeTestApp({ seed: false, flags });
  ctx.graph = await startMeta(ctx.app);
  ctx.account = await buildInstagramAccount(ctx.app, (await buildClient(ctx.app)).id);
  await deliverToApp(ctx.app, igDelivery([igMessage('5551001', 'Send me a photo of the menu')]));
  ctx.conversationId = (await ctx.app.ctx.db.selectFrom('conversations').select('id').executeTakeFirstOrThrow()).id;
}

async function sendFile(ctx: Ctx, bytes = PNG) {
  const { db, clock, config } = ctx.app.ctx;
  const file = await storeAttachment(db, clock, config.dataDir, { clientId: ctx.account.clientId, fileName: 'menu.png', mime: 'image/png', bytes });
  const m = await sendMessage(ctx.app.ctx, ctx.account.clientId, ctx.conversationId, { text: '', attachments: [file], authorKind: 'agent' });
  await ctx.app.ctx.jobs.drain();
  return { file, row: await db.selectFrom('messages').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow() };
}

const sentUrl = (graph: GraphStandIn, i = 0) => (graph.sent[i].body.message as { attachment: { type: string; payload: { url: string } } }).attachment;

const webhookMode = suite<Ctx>('an agent\'s file sent to Instagram through a signed public link');
webhookMode.before.each((ctx) => setUp(ctx, { 'public-url': PUBLIC }));
webhookMode.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

webhookMode('the Send API gets a link on the public address that serves exactly that file, without a session', async (ctx) => {
  const { row } = await sendFile(ctx);
  assert.is(row.status, 'sent');
  const attachment = sentUrl(ctx.graph);
  assert.is(attachment.type, 'image');
  assert.ok(attachment.payload.url.startsWith(`${PUBLIC}/media/`), attachment.payload.url);
  // What Meta does next: fetch the link (here through the real app, as it has no public address).
  const res = await ctx.app.request(new URL(attachment.payload.url).pathname);
  assert.is(res.status, 200);
  assert.equal(new Uint8Array(await res.arrayBuffer()), PNG);
  assert.is(res.headers.get('content-type'), 'image/png');
  assert.is(res.headers.get('cache-control'), 'private, no-store');
});

webhookMode('a forged token, another file\'s id under the same signature, or an expired link is 404', async (ctx) => {
  await sendFile(ctx);
  await sendFile(ctx, new Uint8Array([1, 2, 3]));
  const path = new URL(sentUrl(ctx.graph, 0).payload.url).pathname;
  const other = new URL(sentUrl(ctx.graph, 1).payload.url).pathname;
  assert.is((await ctx.app.request(path)).status, 200);
  const [id, exp, mac] = path.slice('/media/'.length).split('.');
  const otherId = other.slice('/media/'.length).split('.')[0];
  const forged = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
  assert.is((await ctx.app.request(`/media/${id}.${exp}.${forged}`)).status, 404);
  assert.is((await ctx.app.request(`/media/${otherId}.${exp}.${mac}`)).status, 404);
  assert.is((await ctx.app.request(`/media/${id}.zzzzzz.${mac}`)).status, 404);
  assert.is((await ctx.app.request(`/media/${id}`)).status, 404);
  (ctx.app.clock as ManualClock).advance(2 * 3600_000);
  const expired = await ctx.app.request(path);
  assert.is(expired.status, 404);
  assert.not.equal(new Uint8Array(await expired.arrayBuffer()), PNG);
});

webhookMode.run();

const pollingMode = suite<Ctx>('an agent\'s file on a server without a public HTTPS address');
pollingMode.before.each((ctx) => setUp(ctx, {}));
pollingMode.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

pollingMode('fails with the reason, and nothing reaches Meta', async (ctx) => {
  const { row } = await sendFile(ctx);
  assert.is(row.status, 'failed');
  assert.match(row.error!, 'public HTTPS address');
  assert.is(ctx.graph.sent.length, 0);
});

pollingMode.run();
