import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { proto, type WAMessage } from '@whiskeysockets/baileys';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import { FakeWaNetwork, ManualTimers } from '../../testing/fake-wa-socket.ts';
import { updateAiSettings } from '../../ai/index.ts';
import { SYSTEM_ACTOR } from '../../audit/index.ts';
import { getAttachment, sendMessage, startConversation, SEND_MESSAGE_JOB } from '../../messaging/index.ts';
import { CHANNEL_DRIVERS, createChannelAccount, type ChannelAccount } from '../index.ts';
import { makeWhatsappDriver } from './index.ts';
import { createApiKey } from '../../auth/index.ts';
import { apiClient } from '../../testing/api-client.ts';

// Inbound normalisation, identities, media, echoes, sends, receipts and edits: the real adapter,
// the real pipeline and SQLite file, Baileys' own proto messages, a fake socket at the boundary.

interface Ctx { app: TestApp; net: FakeWaNetwork; account: ChannelAccount; slept: number[] }
const test = suite<Ctx>('whatsapp: messages');

const PHONE_JID = '77011234567@s.whatsapp.net';
const LID = '190283746501234@lid';
let seq = 0;

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

function wa(message: proto.IMessage, key: Partial<WAMessage['key']> = {}, pushName = 'Aigerim'): WAMessage {
  return { key: { remoteJid: PHONE_JID, fromMe: false, id: `IN${++seq}`, ...key }, message, pushName, messageTimestamp: 1765000000 } as WAMessage;
}
const upsert = (ctx: Ctx, messages: WAMessage[], type: 'notify' | 'append' = 'notify') => ctx.net.current.emit('messages.upsert', { type, messages });
const rows = (ctx: Ctx) => ctx.app.ctx.db.selectFrom('messages').selectAll().where('channel_account_id', '=', ctx.account.id).orderBy('id').execute();
const byPlatformId = async (ctx: Ctx, id: string) => (await rows(ctx)).find((m) => m.platform_message_id === id);
const arrived = (ctx: Ctx, id: string) => until(`message ${id}`, async () => !!(await byPlatformId(ctx, id)));
const conversation = (ctx: Ctx, id: string) => ctx.app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test.before.each(async (ctx) => {
  ctx.net = new FakeWaNetwork();
  ctx.slept = [];
  const driver = makeWhatsappDriver({
    sockets: ctx.net.factory, timers: new ManualTimers(), random: () => 1, typing: { msPerChar: 10, minMs: 100, maxMs: 500 },
    sleep: async (ms) => void ctx.slept.push(ms),
  });
  ctx.app = await makeTestApp({ channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  const client = await buildClient(ctx.app);
  const { db, clock, vault } = ctx.app.ctx;
  await updateAiSettings(db, vault, clock, client.id, { enabled: true, provider: 'faq', faq: [{ question: 'opening hours', answer: '9 to 19' }], resumeAfterMinutes: 60 }, SYSTEM_ACTOR);
  ctx.account = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'whatsapp', name: 'Shop', settings: { dailyNewContacts: 1, mediaMaxBytes: 1000 } }, ctx.app.ctx.channels.registry);
  await ctx.app.ctx.channels.start();
  await until('the socket', () => ctx.net.sockets.length === 1);
  ctx.net.current.user = { id: '77010000000:3@s.whatsapp.net', name: 'Shop' };
  ctx.net.current.emit('connection.update', { connection: 'open' });
  await until('connected', async () => (await ctx.app.ctx.db.selectFrom('channel_accounts').select('status').where('id', '=', ctx.account.id).executeTakeFirstOrThrow()).status === 'connected');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('texts, replies, locations, contacts, reactions and unknown types arrive normalised, each once however often WhatsApp redelivers', async (ctx) => {
  const msgs = [
    wa({ conversation: 'Hello, are you open today?' }),
    wa({ extendedTextMessage: { text: 'Yes, that one', contextInfo: { stanzaId: 'X1', quotedMessage: { conversation: 'Red roses, 11 stems' } } } }),
    wa({ locationMessage: { degreesLatitude: 43.238, degreesLongitude: 76.945, name: 'Dostyk Plaza' } }),
    wa({ contactMessage: { displayName: 'Daulet', vcard: 'BEGIN:VCARD\nFN:Daulet\nTEL;type=CELL:+7 701 555 44 33\nEND:VCARD' } }),
    wa({ reactionMessage: { key: { id: 'OUT1' }, text: '👍' } }),
    wa({ ephemeralMessage: { message: { conversation: 'disappearing hello' } } }),
    wa({ pollCreationMessage: { name: 'Which colour?', options: [{ optionName: 'red' }] } }),
  ];
  upsert(ctx, msgs);
  upsert(ctx, msgs.slice(0, 2)); // a redelivery
  await arrived(ctx, msgs.at(-1)!.key.id!);
  const texts = (await rows(ctx)).filter((m) => m.direction === 'in').map((m) => m.text);
  assert.equal(texts, [
    'Hello, are you open today?',
    '> Red roses, 11 stems\nYes, that one',
    '📍 Dostyk Plaza https://maps.google.com/?q=43.238,76.945',
    '👤 Daulet: +7 701 555 44 33',
    '👍',
    'disappearing hello',
    '[unsupported: pollCreationMessage]',
  ]);
  const contact = await ctx.app.ctx.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
  assert.equal([contact.display_name, contact.phone], ['Aigerim', '+77011234567']);
});

test('groups, status broadcasts and newsletters are ignored by default; protocol traffic stores nothing', async (ctx) => {
  upsert(ctx, [
    wa({ conversation: 'group chatter' }, { remoteJid: '120363025246125486@g.us', participant: PHONE_JID }),
    wa({ conversation: 'my status' }, { remoteJid: 'status@broadcast', participant: PHONE_JID }),
    wa({ conversation: 'news' }, { remoteJid: '120363144038483540@newsletter' }),
    wa({ senderKeyDistributionMessage: { groupId: 'x' } }),
    wa({ conversation: 'the only one' }, { id: 'LAST' }),
  ]);
  await arrived(ctx, 'LAST');
  assert.equal((await rows(ctx)).filter((m) => m.direction === 'in').map((m) => m.text), ['the only one']);
});

test('a contact who writes under a LID and later under the phone JID is one contact, with both identities', async (ctx) => {
  upsert(ctx, [wa({ conversation: 'from the lid' }, { remoteJid: LID, id: 'L1' })]);
  await arrived(ctx, 'L1');
  upsert(ctx, [wa({ conversation: 'lid with its phone' }, { remoteJid: LID, remoteJidAlt: PHONE_JID, id: 'L2' })]);
  await arrived(ctx, 'L2');
  upsert(ctx, [wa({ conversation: 'from the phone' }, { remoteJid: PHONE_JID, id: 'L3' })]);
  await arrived(ctx, 'L3');
  const contacts = await ctx.app.ctx.db.selectFrom('contacts').select('id').execute();
  assert.is(contacts.length, 1);
  const ids = await ctx.app.ctx.db.selectFrom('contact_identities').select(['kind', 'value']).orderBy('kind').execute();
  assert.equal(ids.map((i) => `${i.kind}:${i.value}`), ['phone:+77011234567', `wa_jid:${PHONE_JID}`, `wa_lid:${LID}`]);
  assert.is(new Set((await rows(ctx)).map((m) => m.conversation_id)).size, 1);
});

test('photos and documents are downloaded into the data dir at once; one over the size cap or with an expired link is noted', async (ctx) => {
  const photo = Buffer.from('fake-jpeg-bytes-'.repeat(20));
  ctx.net.current.media.set('P1', photo);
  upsert(ctx, [
    wa({ imageMessage: { caption: 'this bouquet', mimetype: 'image/jpeg', fileLength: photo.length } }, { id: 'P1' }),
    wa({ documentMessage: { fileName: 'invoice.pdf', mimetype: 'application/pdf', fileLength: 5000 } }, { id: 'P2' }),
    wa({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', fileLength: 300, ptt: true } }, { id: 'P3' }),
  ]);
  await arrived(ctx, 'P3');
  const p1 = (await byPlatformId(ctx, 'P1'))!;
  assert.is(p1.text, 'this bouquet');
  const [meta] = JSON.parse(p1.attachments) as { id: string; name: string; mime: string; size: number }[];
  assert.equal([meta.name, meta.mime, meta.size], ['image-P1.jpg', 'image/jpeg', photo.length]);
  const stored = await getAttachment(ctx.app.ctx.db, ctx.app.dir, ctx.account.clientId, meta.id);
  assert.equal(fs.readFileSync(stored.file), photo, 'the bytes are in the data dir');
  const kept = async (id: string) => (JSON.parse((await byPlatformId(ctx, id))!.attachments) as Array<{ id?: string; name: string; notStored?: string }>).map((a) => [a.id, a.name, a.notStored]);
  assert.equal(await kept('P2'), [[undefined, 'invoice.pdf', 'too_large']]);
  assert.equal(await kept('P3'), [[undefined, 'audio-P3.ogg', 'download_failed']]);
});

test('past the client\'s media storage limit new media is noted, not stored', async (ctx) => {
  const { app } = ctx;
  const photo = Buffer.from('x'.repeat(300));
  ctx.net.current.media.set('Q1', photo);
  upsert(ctx, [wa({ imageMessage: { mimetype: 'image/jpeg', fileLength: photo.length } }, { id: 'Q1' })]);
  await arrived(ctx, 'Q1');
  const small = await createChannelAccount(app.ctx.db, app.ctx.clock, app.ctx.vault, { clientId: ctx.account.clientId, kind: 'whatsapp', name: 'Small', settings: { clientMediaMaxBytes: 500 } }, app.ctx.channels.registry);
  await app.ctx.channels.startAccount(small);
  await until('its socket', () => ctx.net.sockets.length === 2);
  ctx.net.current.media.set('Q2', photo);
  ctx.net.current.emit('connection.update', { connection: 'open' });
  ctx.net.current.emit('messages.upsert', { type: 'notify', messages: [wa({ imageMessage: { mimetype: 'image/jpeg', fileLength: photo.length } }, { id: 'Q2' })] });
  await until('Q2', async () => !!(await app.ctx.db.selectFrom('messages').select('id').where('platform_message_id', '=', 'Q2').executeTakeFirst()));
  const q2 = await app.ctx.db.selectFrom('messages').selectAll().where('platform_message_id', '=', 'Q2').executeTakeFirstOrThrow();
  assert.equal([q2.text, (JSON.parse(q2.attachments) as Array<{ name: string; notStored?: string }>).map((a) => [a.name, a.notStored])], ['', [['image-Q2.jpg', 'storage_full']]]);
});

test('a message typed on the phone is an agent message that pauses the AI; our send\'s echo arriving before the send returns does not', async (ctx) => {
  upsert(ctx, [wa({ conversation: 'Hi there' }, { id: 'C1' })]);
  await arrived(ctx, 'C1');
  const conversationId = (await byPlatformId(ctx, 'C1'))!.conversation_id;
  await ctx.app.ctx.jobs.drain();
  const before = (await rows(ctx)).length;
  assert.is((await conversation(ctx, conversationId)).ai_state, 'active');

  ctx.net.current.echoBeforeReturn = true;
  const ours = await sendMessage(ctx.app.ctx, ctx.account.clientId, conversationId, { text: 'We are open 9 to 19', authorKind: 'ai' });
  await ctx.app.ctx.jobs.drain();
  const sent = ctx.net.current.sent.at(-1)!;
  assert.equal([sent.jid, (sent.content as { text: string }).text], [PHONE_JID, 'We are open 9 to 19']);
  const out = (await rows(ctx)).slice(before);
  assert.equal(out.map((m) => [m.id, m.author_kind, m.status, m.platform_message_id]), [[ours.id, 'ai', 'sent', sent.id]], 'stored once, with its WhatsApp id');
  assert.is((await conversation(ctx, conversationId)).ai_state, 'active', 'our own echo does not pause the AI');

  upsert(ctx, [wa({ conversation: 'I will call you now' }, { id: 'PHONE1', fromMe: true })], 'append');
  await arrived(ctx, 'PHONE1');
  assert.equal([(await byPlatformId(ctx, 'PHONE1'))!.author_kind, (await byPlatformId(ctx, 'PHONE1'))!.direction], ['agent', 'out']);
  assert.is((await conversation(ctx, conversationId)).ai_state, 'paused');
});

test('a send shows "typing…" for a time proportional to the text, then the text; receipts move it to delivered and read', async (ctx) => {
  upsert(ctx, [wa({ conversation: 'Hi' }, { id: 'C1' })]);
  await arrived(ctx, 'C1');
  const conversationId = (await byPlatformId(ctx, 'C1'))!.conversation_id;
  await ctx.app.ctx.jobs.drain();
  ctx.slept.length = 0;
  ctx.net.current.presence.length = 0;
  const m = await sendMessage(ctx.app.ctx, ctx.account.clientId, conversationId, { text: 'Your order is ready', authorKind: 'agent' });
  await ctx.app.ctx.jobs.drain();
  assert.equal(ctx.net.current.presence, [['composing', PHONE_JID], ['paused', PHONE_JID]]);
  assert.equal(ctx.slept, [190], '10 ms a character, within bounds');
  const long = await sendMessage(ctx.app.ctx, ctx.account.clientId, conversationId, { text: 'x'.repeat(2000), authorKind: 'agent' });
  await ctx.app.ctx.jobs.drain();
  assert.equal(ctx.slept, [190, 500], 'bounded');
  const id = (await byPlatformId(ctx, ctx.net.current.sent.at(-2)!.id))!.id;
  assert.is(id, m.id);
  const key = { id: ctx.net.current.sent.at(-2)!.id, remoteJid: PHONE_JID, fromMe: true };
  ctx.net.current.emit('messages.update', [{ key, update: { status: proto.WebMessageInfo.Status.DELIVERY_ACK } }]);
  await until('delivered', async () => (await byPlatformId(ctx, key.id))!.status === 'delivered');
  ctx.net.current.emit('message-receipt.update', [{ key, receipt: { userJid: PHONE_JID, readTimestamp: 1765000100 } }]);
  await until('read', async () => (await byPlatformId(ctx, key.id))!.status === 'read');
  ctx.net.current.emit('messages.update', [{ key, update: { status: proto.WebMessageInfo.Status.DELIVERY_ACK } }]);
  await new Promise((r) => setTimeout(r, 50));
  assert.is((await byPlatformId(ctx, key.id))!.status, 'read', 'never back from read');
  // WhatsApp's retry request for our message is answered from our store.
  assert.equal(await ctx.net.current.options.getMessage(key), { conversation: 'Your order is ready' });
  assert.ok(long.id);
});

test('an API reply to a customer\'s message is sent quoting it; a message of another conversation or an unknown id is a 400 and nothing is stored', async (ctx) => {
  const { db, clock } = ctx.app.ctx;
  const { key } = await createApiKey(db, clock, { clientId: ctx.account.clientId, label: 'tests' }, { id: null, label: 'test' });
  const api = apiClient(ctx.app, key);
  upsert(ctx, [wa({ conversation: 'Is my order ready?' }, { id: 'Q1' })]);
  upsert(ctx, [wa({ conversation: 'Hello' }, { id: 'OTHER1', remoteJid: '77019998877@s.whatsapp.net' }, 'Dana')]);
  await arrived(ctx, 'Q1');
  await arrived(ctx, 'OTHER1');
  await ctx.app.ctx.jobs.drain();
  const quoted = (await byPlatformId(ctx, 'Q1'))!;
  const other = (await byPlatformId(ctx, 'OTHER1'))!;
  const sends = ctx.net.current.sent.length;

  const res = await api('POST', `/api/v1/conversations/${quoted.conversation_id}/messages`, { text: 'Yes, come by', reply_to_message_id: quoted.id });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.is(res.body.reply_to_message_id, quoted.id);
  await ctx.app.ctx.jobs.drain();
  const sent = ctx.net.current.sent.slice(sends);
  assert.is(sent.length, 1);
  assert.is((sent[0].content as { text: string }).text, 'Yes, come by');
  assert.equal(sent[0].quoted, { key: { remoteJid: PHONE_JID, id: 'Q1', fromMe: false }, message: { conversation: 'Is my order ready?' } });
  assert.is((await api('GET', `/api/v1/messages/${res.body.id}`)).body.reply_to_message_id, quoted.id);

  const before = (await rows(ctx)).length;
  for (const replyTo of [other.id, '01JZZZZZZZZZZZZZZZZZZZZZZZ']) {
    const bad = await api('POST', `/api/v1/conversations/${quoted.conversation_id}/messages`, { text: 'Wrong one', reply_to_message_id: replyTo });
    assert.is(bad.status, 400);
    assert.is(bad.body.error.code, 'invalid_field');
    assert.is(bad.body.error.field, 'reply_to_message_id');
  }
  assert.is((await rows(ctx)).length, before, 'nothing stored');
  await ctx.app.ctx.jobs.drain();
  assert.is(ctx.net.current.sent.length, sends + 1, 'nothing sent');
});

const history = (ctx: Ctx, messages: WAMessage[]) => ctx.net.current.emit('messaging-history.set', { chats: [], contacts: [], messages, isLatest: true });
const secondsAgo = (ctx: Ctx, days: number) => Math.floor(ctx.app.ctx.clock.now().getTime() / 1000 - days * 86_400);

test('history sync is off by default: WhatsApp is not asked for it and past messages it sends anyway are not stored', async (ctx) => {
  assert.is(ctx.net.current.options.syncHistory, false);
  history(ctx, [{ ...wa({ conversation: 'opening hours' }, { id: 'OLD1' }), messageTimestamp: secondsAgo(ctx, 1) }]);
  await new Promise((r) => setTimeout(r, 50));
  await ctx.app.ctx.jobs.drain();
  assert.equal(await rows(ctx), []);
  assert.equal(ctx.net.current.sent, []);
});

test('with historySyncDays 7 the past week\'s messages are stored once, unanswered and not unread; older ones are skipped', async (ctx) => {
  const { db, channels } = ctx.app.ctx;
  await db.updateTable('channel_accounts').set({ settings: JSON.stringify({ historySyncDays: 7 }) }).where('id', '=', ctx.account.id).execute();
  const account = { ...ctx.account, settings: { historySyncDays: 7 } };
  await channels.stopAccount(account.id);
  await channels.startAccount(account);
  await until('the new socket', () => ctx.net.sockets.length === 2);
  ctx.net.current.emit('connection.update', { connection: 'open' });
  assert.is(ctx.net.current.options.syncHistory, true, 'WhatsApp is asked for history');

  const past = [
    { ...wa({ conversation: 'opening hours' }, { id: 'H1' }), messageTimestamp: secondsAgo(ctx, 2) },
    { ...wa({ conversation: 'We open at 9' }, { id: 'H2', fromMe: true }), messageTimestamp: secondsAgo(ctx, 2) },
    { ...wa({ conversation: 'opening hours last month' }, { id: 'H3' }), messageTimestamp: secondsAgo(ctx, 10) },
  ];
  history(ctx, past);
  history(ctx, past); // a repeated chunk
  await arrived(ctx, 'H2');
  await ctx.app.ctx.jobs.drain();
  const stored = await rows(ctx);
  assert.equal(stored.map((m) => [m.platform_message_id, m.direction]), [['H1', 'in'], ['H2', 'out']], 'the week\'s messages, once each');
  assert.equal(ctx.net.current.sent, [], 'no answer to history');
  const conv = await conversation(ctx, stored[0].conversation_id);
  assert.equal([conv.unread_count, conv.ai_state], [0, 'active'], 'not unread; an old phone message does not pause the AI');
  assert.is((await db.selectFrom('jobs').select('id').where('kind', '=', 'message.process').execute()).length, 0, 'nothing processed');

  // A live message now goes to processing and counts unread, as always.
  upsert(ctx, [wa({ conversation: 'opening hours' }, { id: 'LIVE1' })]);
  await arrived(ctx, 'LIVE1');
  assert.is((await conversation(ctx, stored[0].conversation_id)).unread_count, 1);
  assert.is((await db.selectFrom('jobs').select('id').where('kind', '=', 'message.process').execute()).length, 1);
});

test('a customer\'s edit and deletion show on the stored message', async (ctx) => {
  upsert(ctx, [wa({ conversation: 'I want 10 roses' }, { id: 'E1' })]);
  await arrived(ctx, 'E1');
  upsert(ctx, [wa({ protocolMessage: { key: { id: 'E1', remoteJid: PHONE_JID }, type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, editedMessage: { conversation: 'I want 15 roses' } } })]);
  await until('edited', async () => (await byPlatformId(ctx, 'E1'))!.text === 'I want 15 roses');
  assert.ok((await byPlatformId(ctx, 'E1'))!.edited_at);
  upsert(ctx, [wa({ protocolMessage: { key: { id: 'E1', remoteJid: PHONE_JID }, type: proto.Message.ProtocolMessage.Type.REVOKE } })]);
  await until('deleted', async () => !!(await byPlatformId(ctx, 'E1'))!.deleted_at);
});

test('a first message to a number not on WhatsApp fails visibly; the daily cap on first messages holds the next one', async (ctx) => {
  const { app, account, net } = ctx;
  net.current.onWhatsAppAnswer = (jid) => ({ jid, exists: !jid.startsWith('7709') });
  const nobody = await startConversation(app.ctx, { clientId: account.clientId, channelAccountId: account.id, to: '+7 709 000 00 00', text: 'Hello', authorKind: 'agent' });
  await app.ctx.jobs.drain();
  const failed = (await rows(ctx)).find((m) => m.id === nobody.message.id)!;
  assert.equal([failed.status, failed.error], ['failed', 'This phone number is not on WhatsApp']);
  assert.equal(net.current.checked, ['77090000000@s.whatsapp.net'], 'one number checked, no bulk lookups');
  const first = await startConversation(app.ctx, { clientId: account.clientId, channelAccountId: account.id, to: '+7 701 999 88 77', text: 'Your order', authorKind: 'agent' });
  const second = await startConversation(app.ctx, { clientId: account.clientId, channelAccountId: account.id, to: '+7 701 999 88 66', text: 'Your order', authorKind: 'agent' });
  await app.ctx.jobs.drain();
  const status = async (id: string) => (await rows(ctx)).find((m) => m.id === id)!.status;
  assert.equal([await status(first.message.id), await status(second.message.id)], ['sent', 'queued']);
  const job = await app.ctx.db.selectFrom('jobs').select(['last_error', 'status']).where('kind', '=', SEND_MESSAGE_JOB).where('status', '=', 'pending').executeTakeFirstOrThrow();
  assert.match(job.last_error!, /limit of 1 first messages to new contacts/);
  // A contact already written to is not "new" again.
  await sendMessage(app.ctx, account.clientId, first.conversation.id, { text: 'Tracking number 123', authorKind: 'agent' });
  await app.ctx.jobs.drain();
  assert.is(net.current.sent.length, 2);
});

test.run();
