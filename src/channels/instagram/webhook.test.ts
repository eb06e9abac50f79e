import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { metaSignature, type GraphStandIn } from '../../testing/graph-stand-in.ts';
import { APP_SECRET, buildInstagramAccount, deliverToApp, igDelivery, igMessage, IG_ACCOUNT, startMeta, VERIFY_TOKEN } from '../../testing/instagram-fixture.ts';
import { updateAiSettings } from '../../ai/index.ts';
import { SYSTEM_ACTOR } from '../../audit/index.ts';
import type { ChannelAccount } from '../index.ts';

interface Ctx { app: TestApp; graph: GraphStandIn; account: ChannelAccount }
const test = suite<Ctx>('the Instagram webhook on the real server');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  const client = await buildClient(ctx.app);
  ctx.account = await buildInstagramAccount(ctx.app, client.id);
});
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

type Outcome = { stored: number; duplicates: number; skipped: number; error: { code: string } };
const json = async (r: Response) => (await r.json()) as Outcome;
const messages = (app: TestApp) => app.ctx.db.selectFrom('messages').selectAll().orderBy('created_at').orderBy('id').execute();

test('the hub.* handshake answers the challenge only for the configured verify token', async ({ app }) => {
  const ok = await app.request(`/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
  assert.equal([ok.status, await ok.text()], [200, '1158201444']);
  const wrong = await app.request('/webhooks/instagram?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444');
  assert.is(wrong.status, 403);
  assert.not.ok((await wrong.text()).includes('1158201444'));
});

test('a signed delivery is stored before the 200: text, the customer as a contact with their Instagram id, one conversation', async ({ app, account }) => {
  const res = await deliverToApp(app, igDelivery([igMessage('5551001', 'Do you deliver to Almaty?')]));
  assert.is(res.status, 200);
  assert.is((await json(res)).stored, 1);
  const [m] = await messages(app);
  assert.equal([m.direction, m.author_kind, m.text, m.channel_account_id], ['in', 'contact', 'Do you deliver to Almaty?', account.id]);
  const identity = await app.ctx.db.selectFrom('contact_identities').selectAll().where('contact_id', '=', m.contact_id).executeTakeFirstOrThrow();
  assert.equal([identity.kind, identity.value], ['ig_id', '5551001']);
});

test('a file over the size cap is not stored: the message keeps Meta\'s URL and says why', async ({ app, graph }) => {
  graph.files.set('huge.mp4', { mime: 'video/mp4', bytes: new Uint8Array(26 * 1024 * 1024) });
  const url = `${graph.url}/cdn/huge.mp4`;
  assert.is((await deliverToApp(app, igDelivery([igMessage('5551001', 'my video', { attachments: [{ type: 'video', payload: { url } }] })]))).status, 200);
  const [m] = await messages(app);
  assert.equal((JSON.parse(m.attachments) as Array<{ id?: string; url?: string; notStored?: string }>).map((a) => [a.id, a.url, a.notStored]), [[undefined, url, 'too_large']]);
  assert.is(m.text, 'my video', 'the text is the customer\'s own');
  assert.is((await app.ctx.db.selectFrom('attachments').select('id').execute()).length, 0);
});

test('a first-time sender\'s Instagram name (else username) becomes the contact\'s name, looked up once; a failed lookup leaves it empty', async ({ app, graph }) => {
  graph.profiles.set('5551001', { name: 'Aigerim Nurlanovna', username: 'aigerim.n' });
  graph.profiles.set('5551002', { username: 'dauren_kz' });
  const raw = igDelivery([igMessage('5551001', 'Salem!'), igMessage('5551001', 'Are you open?'), igMessage('5551002', 'Hi'), igMessage('5551003', 'Hello')]);
  assert.is((await deliverToApp(app, raw)).status, 200);
  const names = async () => Object.fromEntries((await app.ctx.db.selectFrom('contacts').innerJoin('contact_identities', 'contact_identities.contact_id', 'contacts.id')
    .select(['contact_identities.value', 'contacts.display_name']).execute()).map((r) => [r.value, r.display_name]));
  assert.equal(await names(), { '5551001': 'Aigerim Nurlanovna', '5551002': 'dauren_kz', '5551003': '' });
  const lookups = () => graph.requests.filter((r) => r.path === '/5551001' && r.query.fields === 'name,username').length;
  assert.is(lookups(), 1);
  // A known sender is not looked up again.
  assert.is((await deliverToApp(app, igDelivery([igMessage('5551001', 'Thanks')]))).status, 200);
  assert.is(lookups(), 1);
});

test('forged, unsigned and malformed deliveries are refused and store nothing', async ({ app }) => {
  const raw = igDelivery([igMessage('5551001', 'hello')]);
  assert.is((await deliverToApp(app, raw, metaSignature('not-the-secret', raw))).status, 403);
  assert.is((await deliverToApp(app, raw, 'sha256=abc')).status, 403);
  assert.is((await deliverToApp(app, raw, null)).status, 401);
  // Signed over other bytes (the body changed on the way): refused before parsing.
  assert.is((await deliverToApp(app, raw.replace('hello', 'hullo'), metaSignature(APP_SECRET, raw))).status, 403);
  const broken = '{"object":"instagram","entry":[';
  const bad = await deliverToApp(app, broken);
  assert.equal([bad.status, (await json(bad)).error.code], [400, 'invalid_json']);
  assert.is((await messages(app)).length, 0);
});

test('a redelivery (same mid, even much later) stores nothing new; many entries in one delivery are all stored', async ({ app }) => {
  const item = igMessage('5551001', 'first');
  const raw = igDelivery([item]);
  assert.is((await deliverToApp(app, raw)).status, 200);
  (app.clock as ManualClock).advance(3 * 24 * 3600_000); // Meta's signature carries no time: a late retry is as good as the first
  const again = await deliverToApp(app, raw);
  assert.equal([again.status, (await json(again)).duplicates], [200, 1]);
  const batch = igDelivery(Array.from({ length: 20 }, (_, i) => igMessage(`55520${i % 4}`, `batch ${i}`)).concat([item]));
  const r = await json(await deliverToApp(app, batch));
  assert.equal([r.stored, r.duplicates], [20, 1]);
  assert.is((await messages(app)).length, 21);
});

test('attachments, story replies and mentions, shares and reactions arrive with what they point at; an unsupported one is marked', async ({ app, graph }) => {
  const photo = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
  graph.files.set('photo.png', { mime: 'image/png', bytes: photo });
  const raw = igDelivery([
    igMessage('5551001', '', { attachments: [{ type: 'image', payload: { url: `${graph.url}/cdn/photo.png` } }] }),
    igMessage('5551001', 'love this', { reply_to: { story: { url: 'https://cdn.example/story.mp4', id: '1789' } } }),
    igMessage('5551001', '', { attachments: [{ type: 'story_mention', payload: { url: 'https://cdn.example/mention.jpg' } }] }),
    igMessage('5551001', '', { attachments: [{ type: 'share', payload: { url: 'https://www.instagram.com/p/xyz/' } }] }),
    igMessage('5551001', '', { attachments: [{ type: 'audio', payload: { url: `${graph.url}/cdn/expired.mp4` } }] }),
    igMessage('5551001', '', { is_unsupported: true }),
    { sender: { id: '5551001' }, recipient: { id: IG_ACCOUNT.igId }, timestamp: 1700000000000, reaction: { mid: 'm_x', action: 'react', reaction: 'love', emoji: '❤️' } },
  ]);
  assert.is((await deliverToApp(app, raw)).status, 200);
  const stored = await messages(app);
  const files = stored.map((m) => JSON.parse(m.attachments) as Array<{ id?: string; name: string; mime: string; url?: string }>);
  // The image was fetched before the 200 and stored with the message (Meta's URL expires).
  assert.equal(files[0].map((a) => [a.mime, a.url]), [['image/png', undefined]]);
  const row = await app.ctx.db.selectFrom('attachments').selectAll().where('id', '=', files[0][0].id!).executeTakeFirstOrThrow();
  assert.equal([row.message_id, row.contact_id, row.size], [stored[0].id, stored[0].contact_id, photo.byteLength]);
  assert.equal(new Uint8Array(fs.readFileSync(path.join(app.ctx.config.dataDir, 'attachments', row.path))), photo);
  assert.equal([stored[1].text, files[1][0].name, files[1][0].url], ['love this', 'Story reply', 'https://cdn.example/story.mp4']);
  assert.is(files[2][0].name, 'Story mention');
  assert.equal([files[3][0].name, files[3][0].url], ['Shared post', 'https://www.instagram.com/p/xyz/']);
  // A file that could not be fetched keeps Meta's URL, and the thread says so.
  assert.equal([files[4][0].mime, files[4][0].id, files[4][0].url], ['audio/mp4', undefined, `${graph.url}/cdn/expired.mp4`]);
  assert.is((files[4][0] as { notStored?: string }).notStored, 'download_failed');
  assert.is(files[5][0].name, 'Unsupported attachment');
  assert.is(stored[6].text, '❤️');
});

test('a delivery for an account nobody connected, or a field Habar does not use, is logged and acknowledged without side effects', async ({ app }) => {
  const unknown = await deliverToApp(app, igDelivery([igMessage('5551001', 'hi')], '17841499999999999'));
  assert.equal([unknown.status, (await json(unknown)).skipped], [200, 1]);
  const comments = JSON.stringify({ object: 'instagram', entry: [{ id: IG_ACCOUNT.igId, time: 1, changes: [{ field: 'comments', value: { id: '1', text: 'nice' } }] }] });
  assert.is((await deliverToApp(app, comments)).status, 200);
  const page = JSON.stringify({ object: 'page', entry: [] });
  assert.is((await deliverToApp(app, page)).status, 200);
  assert.is((await messages(app)).length, 0);
  assert.ok(app.logs.some((l) => l.includes('no client has connected')));
  assert.not.ok(app.logs.some((l) => l.includes('nice')), 'no content in the logs');
});

test('an echo of what a person sent from the Instagram app is an agent message, already sent, and pauses the AI', async ({ app, account }) => {
  await updateAiSettings(app.ctx.db, app.ctx.vault, app.ctx.clock, account.clientId, { enabled: true, provider: 'faq', faq: [{ question: 'opening hours', answer: '9 to 19' }], resumeAfterMinutes: 60 }, SYSTEM_ACTOR);
  await deliverToApp(app, igDelivery([igMessage('5551001', 'Hello?')]));
  const echo = { sender: { id: IG_ACCOUNT.igId }, recipient: { id: '5551001' }, timestamp: Date.now(), message: { mid: 'm_echo_1', text: 'Hi, this is Aigerim', is_echo: true } };
  assert.is((await deliverToApp(app, igDelivery([echo]))).status, 200);
  const out = (await messages(app)).filter((m) => m.direction === 'out');
  assert.equal(out.map((m) => [m.author_kind, m.status, m.text, m.platform_message_id]), [['agent', 'sent', 'Hi, this is Aigerim', 'm_echo_1']]);
  const conv = await app.ctx.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
  assert.is(conv.ai_state, 'paused');
});

test('a message the customer unsends is marked deleted; a read receipt marks our message read', async ({ app }) => {
  const said = igMessage('5551001', 'Oops, wrong chat', {}, 'm_unsend_1');
  await deliverToApp(app, igDelivery([said]));
  const unsent = { sender: { id: '5551001' }, recipient: { id: IG_ACCOUNT.igId }, timestamp: Date.now(), message: { mid: 'm_unsend_1', is_deleted: true } };
  assert.is((await deliverToApp(app, igDelivery([unsent]))).status, 200);
  const row = await app.ctx.db.selectFrom('messages').selectAll().where('platform_message_id', '=', 'm_unsend_1').executeTakeFirstOrThrow();
  assert.ok(row.deleted_at, 'marked deleted');
  const echo = { sender: { id: IG_ACCOUNT.igId }, recipient: { id: '5551001' }, timestamp: Date.now(), message: { mid: 'm_ours_1', text: 'Sure', is_echo: true } };
  const read = { sender: { id: '5551001' }, recipient: { id: IG_ACCOUNT.igId }, timestamp: Date.now(), read: { mid: 'm_ours_1' } };
  assert.is((await deliverToApp(app, igDelivery([echo, read]))).status, 200);
  const ours = await app.ctx.db.selectFrom('messages').selectAll().where('platform_message_id', '=', 'm_ours_1').executeTakeFirstOrThrow();
  assert.is(ours.status, 'read');
});

test.run();
