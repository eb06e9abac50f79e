import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { WAMessage } from '@whiskeysockets/baileys';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { FakeWaNetwork, ManualTimers, waitFor } from '../testing/fake-wa-socket.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';
import { updateAiSettings } from '../ai/index.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { setSetting } from '../settings/index.ts';
import { catchUpSearchIndex } from '../messaging/index.ts';
import { CHANNEL_DRIVERS, createChannelAccount, type ChannelAccount } from '../channels/index.ts';
import { makeWhatsappDriver } from '../channels/whatsapp/index.ts';
import { loadSealedAuthState } from '../channels/whatsapp/auth-state.ts';
import { PERSONAL_DATA } from './index.ts';
import { searchIndexBytes } from '../testing/search-index-bytes.ts';
import type { ManualClock } from '../lib/clock.ts';

// Erasure leaves no trace (policy 7.3): after POST /contacts/{id}/erase and its job, the person's
// phone number, name, LID, words and photo are nowhere in the data file, its WAL or the
// attachments folder — searched byte by byte, without VACUUM — while another customer's are all
// still there and the usage counts stay.

interface Ctx { app: TestApp; net: FakeWaNetwork; t: ApiTenant; account: ChannelAccount; rx: WebhookReceiver }
const test = suite<Ctx>('privacy: erasure leaves no trace');

const PHONE = '77019876543';
const LID = '208811223344556';
const NAME = 'Zhanargul Ⱋⱌⱍ Qwertybekova';
const WORDS = 'Marshmallow ⰰⰱⰲⰳ delivery to Abay street';
const PHOTO = Buffer.from('unique-photo-bytes-of-zhanargul-'.repeat(8));
const OTHER_PHONE = '77017770011';
const OTHER_NAME = 'Bolat Keepmebekov';
let seq = 0;

const wa = (jid: string, text: string, pushName: string, extra: Partial<WAMessage['key']> = {}, message?: WAMessage['message']): WAMessage =>
  ({ key: { remoteJid: jid, fromMe: false, id: `E${++seq}`, ...extra }, message: message ?? { conversation: text }, pushName, messageTimestamp: 1765000000 }) as WAMessage;

test.before.each(async (ctx) => {
  ctx.net = new FakeWaNetwork();
  const driver = makeWhatsappDriver({ sockets: ctx.net.factory, timers: new ManualTimers(), random: () => 1, typing: { msPerChar: 1, minMs: 1, maxMs: 2 }, sleep: async () => {} });
  ctx.app = await makeTestApp({ seed: false, flags: { 'backup-interval-hours': '24', 'backup-keep': '7' }, channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  const { db, clock, vault } = ctx.app.ctx;
  ctx.t = await buildApiTenant(ctx.app, 'shop');
  await setSetting(db, vault, clock, 'webhooks.allow_private_targets', 'true');
  ctx.rx = await new WebhookReceiver().start();
  await ctx.t.api('POST', '/api/v1/webhooks', { url: ctx.rx.url, events: ['message.received', 'conversation.updated'] });
  await updateAiSettings(db, vault, clock, ctx.t.client.id, { enabled: true, provider: 'faq', faq: [{ question: 'opening hours', answer: '9 to 19' }] }, SYSTEM_ACTOR);
  ctx.account = await createChannelAccount(db, clock, vault, { clientId: ctx.t.client.id, kind: 'whatsapp', name: 'Shop' }, ctx.app.ctx.channels.registry);
  await ctx.app.ctx.channels.start();
  await waitFor('the socket', () => ctx.net.sockets.length === 1);
  ctx.net.current.user = { id: '77010000000:3@s.whatsapp.net', name: 'Shop' };
  ctx.net.current.emit('connection.update', { connection: 'open' });
  await waitFor('connected', async () => (await db.selectFrom('channel_accounts').select('status').where('id', '=', ctx.account.id).executeTakeFirstOrThrow()).status === 'connected');
});
test.after.each(async (ctx) => {
  await ctx.rx.stop();
  await ctx.app.cleanup();
});

const fileBytes = (dir: string) => {
  const db = path.join(dir, 'habar.db');
  return Buffer.concat([fs.readFileSync(db), fs.existsSync(`${db}-wal`) ? fs.readFileSync(`${db}-wal`) : Buffer.alloc(0)]);
};
const walkFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])) : []);

test('erasing a WhatsApp customer removes their number, name, LID, words, photo and session rows from the data file, its WAL and the disk; the other customer and the usage counts stay', async (ctx) => {
  const { app, t } = ctx;
  const { db } = app.ctx;
  ctx.net.current.media.set('PHOTO1', PHOTO);
  ctx.net.current.emit('messages.upsert', { type: 'notify', messages: [
    wa(`${LID}@lid`, WORDS, NAME, { remoteJidAlt: `${PHONE}@s.whatsapp.net` }),
    wa(`${LID}@lid`, 'opening hours?', NAME, { remoteJidAlt: `${PHONE}@s.whatsapp.net` }),
    wa(`${LID}@lid`, '', NAME, { id: 'PHOTO1', remoteJidAlt: `${PHONE}@s.whatsapp.net` }, { imageMessage: { caption: 'my bouquet', mimetype: 'image/jpeg', fileLength: PHOTO.length } }),
    wa(`${OTHER_PHONE}@s.whatsapp.net`, 'Keep my order please', OTHER_NAME),
  ] });
  await waitFor('four messages', async () => (await db.selectFrom('messages').select('id').where('direction', '=', 'in').execute()).length === 4);
  await app.ctx.jobs.drain();
  (app.clock as ManualClock).advance(120_000); // past the AI's debounce
  await app.ctx.jobs.drain();
  await catchUpSearchIndex(db);
  // Their WhatsApp session and LID mapping, as Baileys stores them, and the other customer's.
  const auth = await loadSealedAuthState(app.ctx, ctx.account);
  await auth.state.keys.set({ session: { [`${PHONE}.0`]: randomBytes(60), [`${OTHER_PHONE}.0`]: randomBytes(60) }, 'lid-mapping': { [PHONE]: LID, [`${LID}_reverse`]: PHONE }, 'device-list': { [PHONE]: ['0', '2'] } });

  const contact = (await t.api('GET', `/api/v1/contacts?phone=${PHONE}`)).body.data[0];
  assert.ok(contact, 'the customer is a contact');
  const before = fileBytes(app.dir);
  for (const s of [PHONE, NAME, WORDS]) assert.ok(before.includes(s), `control: ${s} is in the file before`);
  // The search indexes keep trigrams, not whole words: rare letters show whether theirs are there.
  const indexed = () => searchIndexBytes(app.ctx.sqlite, { contacts: true });
  for (const s of ['ⰱⰲ', 'ⱌⱍ']) assert.ok(indexed().includes(Buffer.from(s)), `control: ${s} is in the search index before`);
  assert.ok(walkFiles(path.join(app.dir, 'attachments')).some((f) => fs.readFileSync(f).equals(PHOTO)), 'control: the photo is on disk');
  const inboundCount = async () => Number((await db.selectFrom('usage_events').select(db.fn.countAll<number>().as('n')).where('client_id', '=', t.client.id).where('kind', '=', 'inbound_message').executeTakeFirstOrThrow()).n);
  const usageBefore = await inboundCount();
  const aiCallsBefore = await db.selectFrom('ai_calls').select(['id', 'contact_id']).execute();
  const theirCalls = aiCallsBefore.filter((r) => r.contact_id === contact.id).map((r) => r.id);
  assert.ok(theirCalls.length >= 1, 'control: the FAQ answered them, and the AI call names them');

  const erased = await t.api('POST', `/api/v1/contacts/${contact.id}/erase`);
  assert.is(erased.status, 202);
  assert.is(erased.body.kind, 'erasure');
  assert.is(erased.body.status, 'running');
  await app.ctx.jobs.drain();
  const record = (await t.api('GET', `/api/v1/requests/${erased.body.id}`)).body;
  assert.is(record.status, 'done');
  assert.is(record.progress, 100);
  // Scheduled backups every 24 h (each up to one 10-minute check late), 7 kept: the last one holding them is gone a week (and 70 minutes) after the erasure.
  assert.is(record.backups_expire_at, new Date(app.clock.now().getTime() + 7 * (24 * 3_600_000 + 10 * 60_000)).toISOString(), 'says when the last backup holding them rotates out');
  assert.is((await t.api('GET', `/api/v1/contacts/${contact.id}`)).status, 404);
  const again = await t.api('POST', `/api/v1/contacts/${contact.id}/erase`);
  assert.equal([again.status, again.body.id], [202, erased.body.id], 'erasing again answers the same record');

  for (const e of PERSONAL_DATA) {
    if (!e.byContact || e.contactErasure?.do === 'keep' || 'in' in e.byContact) continue;
    const n = await db.selectFrom(e.table as 'contacts').select(db.fn.countAll<number>().as('n')).where(e.byContact.column as 'id', '=', contact.id).executeTakeFirstOrThrow();
    assert.is(Number(n.n), 0, `${e.table} keeps rows of the erased contact`);
  }
  const bytes = fileBytes(app.dir);
  for (const s of [PHONE, NAME, 'Qwertybekova', WORDS, 'Marshmallow', LID, 'my bouquet']) assert.not.ok(bytes.includes(s), `"${s}" lingers in the data file or its WAL`);
  for (const s of [OTHER_PHONE, OTHER_NAME]) assert.ok(bytes.includes(s), `the other customer's "${s}" is still there`);
  for (const s of ['ⰱⰲ', 'ⱌⱍ']) {
    assert.not.ok(indexed().includes(Buffer.from(s)), `${s} lingers in the search index`);
    assert.not.ok(bytes.includes(Buffer.from(s)), `${s} lingers in the file`);
  }
  assert.not.ok(walkFiles(path.join(app.dir, 'attachments')).some((f) => fs.readFileSync(f).equals(PHOTO)), 'the photo is gone from disk');
  const left = await loadSealedAuthState(app.ctx, ctx.account);
  assert.equal(Object.keys(await left.state.keys.get('session', [`${PHONE}.0`, `${OTHER_PHONE}.0`])), [`${OTHER_PHONE}.0`], 'their WhatsApp session is gone, the other one stays');
  assert.equal(await left.state.keys.get('lid-mapping', [PHONE, `${LID}_reverse`]), {});
  assert.equal(await left.state.keys.get('device-list', [PHONE]), {});

  assert.is(await inboundCount(), usageBefore, 'message counts stay');
  const aiCallsAfter = await db.selectFrom('ai_calls').select(['id', 'contact_id', 'conversation_id']).execute();
  assert.is(aiCallsAfter.length, aiCallsBefore.length, 'AI usage counts stay');
  assert.ok(aiCallsAfter.filter((r) => theirCalls.includes(r.id)).every((r) => r.contact_id === null && r.conversation_id === null), 'without the person');

  const audit = await db.selectFrom('audit_log').select(['action', 'target_id', 'details', 'actor_label']).where('action', 'in', ['contact.erased', 'privacy_request.recorded', 'privacy_request.completed']).execute();
  assert.equal(audit.map((a) => a.action).sort(), ['contact.erased', 'privacy_request.completed', 'privacy_request.recorded']);
  for (const a of audit) {
    assert.is(a.target_id, contact.id, 'the subject by internal id');
    assert.match(a.details, erased.body.id, 'which request');
  }
});

test.run();
