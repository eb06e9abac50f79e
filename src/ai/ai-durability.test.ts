import { suite } from 'uvu';
import { sql } from 'kysely';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from '../testing/openai-stand-in.ts';
import { historyMessage, seedHistory } from '../testing/chat-history.ts';
import { ManualClock } from '../lib/clock.ts';
import { postAsCustomer, toChannelAccount, type ChannelAccount } from '../channels/index.ts';
import { findClient, DEMO_SLUG } from '../tenants/index.ts';
import { buildUser } from '../testing/test-app.ts';
import { ingestInbound, storeAttachment } from '../messaging/index.ts';
import { countChatTokens, recordTransferConsent, updateAiSettings, withdrawTransferConsent, type AiSettingsPatch } from './index.ts';

type Ctx = { app: TestApp; stub: OpenAiStandIn; clock: ManualClock };
const test = suite<Ctx>('AI replies: bounded prompts, restarts, voice notes');

async function open(dir?: string, clock = new ManualClock(new Date())) {
  const app = await makeTestApp({ dir, clock });
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  const row = await app.ctx.db.selectFrom('channel_accounts').selectAll().where('client_id', '=', demo.id).executeTakeFirstOrThrow();
  return { app, clientId: demo.id, account: toChannelAccount(row) };
}
const configure = (app: TestApp, clientId: string, patch: AiSettingsPatch) => updateAiSettings(app.ctx.db, app.ctx.vault, app.ctx.clock, clientId, patch, { id: null, label: 'test' });
const say = (app: TestApp, account: ChannelAccount, text: string, customer: string) => postAsCustomer(app.ctx, account, { text, customer });

test.before.each(async (ctx) => {
  ctx.stub = await startOpenAiStandIn();
  ctx.clock = new ManualClock(new Date());
});
test.after.each(async (ctx) => {
  await ctx.stub.stop();
  await ctx.app?.cleanup();
});

test('a 1,000-message thread sends no more prompt tokens than a 20-message one', async (ctx) => {
  const { app, clientId, account } = await open(undefined, ctx.clock);
  ctx.app = app;
  await configure(app, clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'local', disclosure: null, debounceSeconds: 2 });
  const sizes = [20, 200, 1000];
  for (const n of sizes) {
    await say(app, account, 'Начнём', `c${n}`);
    const conv = await app.ctx.db.selectFrom('conversations as c').innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .selectAll('c').where('i.value', '=', `c${n}`).executeTakeFirstOrThrow();
    await seedHistory(app.ctx.db, conv, n, ctx.clock.now().getTime());
    await say(app, account, historyMessage(1).text, `c${n}`);
    await app.ctx.jobs.drain();
    ctx.clock.advance(2000);
    await app.ctx.jobs.drain();
  }
  const prompts = ctx.stub.chatRequests.map((r) => countChatTokens(r.json!.messages));
  const reported = ctx.stub.chatRequests.length;
  assert.is(reported, 3);
  const [t20, t200, t1000] = prompts;
  assert.ok(t1000 <= t20, `1,000 messages: ${t1000} prompt tokens; 20 messages: ${t20}`);
  assert.is(t200, t1000, 'flat');
  const usage = await app.ctx.db.selectFrom('ai_calls').select('tokens_in').orderBy('id').execute();
  assert.equal(usage.map((u) => u.tokens_in), prompts, 'billing records the provider\'s own usage figures');
});

test('five quick messages are one call, also when the server restarts inside the quiet period', async (ctx) => {
  let { app, clientId, account } = await open(undefined, ctx.clock);
  await configure(app, clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'local', disclosure: null, debounceSeconds: 5 });
  for (const t of ['Добрый день', 'хочу заказать', 'торт']) {
    await say(app, account, t, 'dana');
    await app.ctx.jobs.drain();
    ctx.clock.advance(1000);
  }
  const dir = app.dir;
  await app.close();
  ({ app, clientId, account } = await open(dir, ctx.clock));
  ctx.app = app;
  for (const t of ['на субботу', 'на 10 человек']) {
    await say(app, account, t, 'dana');
    await app.ctx.jobs.drain();
    ctx.clock.advance(1000);
  }
  assert.is(ctx.stub.chatRequests.length, 0);
  ctx.clock.advance(5000);
  await app.ctx.jobs.drain();
  assert.is(ctx.stub.chatRequests.length, 1);
  const last = ctx.stub.chatRequests[0].json!.messages.at(-1)!;
  assert.is(last.content, 'Добрый день\nхочу заказать\nторт\nна субботу\nна 10 человек');
  // A crash after the reply was stored but before its job was marked done: the job runs again and answers nothing twice.
  await app.ctx.db.updateTable('jobs').set({ status: 'pending', lease_until: null }).where('kind', '=', 'ai.reply').execute();
  await app.ctx.jobs.drain();
  assert.is(ctx.stub.chatRequests.length, 1);
  const ai = await app.ctx.db.selectFrom('messages').select('id').where('author_kind', '=', 'ai').execute();
  assert.is(ai.length, 1);
});

test('the quiet period starts in the same commit as the message’s processing: a failure before it leaves neither, and the retry answers once', async (ctx) => {
  const { app, clientId, account } = await open(undefined, ctx.clock);
  ctx.app = app;
  await configure(app, clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'local', disclosure: null, debounceSeconds: 2 });
  ctx.stub.always({ text: 'Да, доставляем.' });
  // The processing job's completion cannot be written (a failure before the commit): what the AI
  // step scheduled must not survive it either.
  await sql`CREATE TRIGGER no_done BEFORE UPDATE ON jobs WHEN NEW.status = 'done' AND OLD.kind = 'message.process' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`.execute(app.ctx.db);
  await say(app, account, 'Доставляете?', 'ella');
  await app.ctx.jobs.drain();
  const jobs = () => app.ctx.db.selectFrom('jobs').select(['kind', 'status']).where('kind', 'in', ['message.process', 'ai.reply']).orderBy('id').execute();
  assert.equal(await jobs(), [{ kind: 'message.process', status: 'pending' }], 'no quiet period, and the message is still to be processed');
  await sql`DROP TRIGGER no_done`.execute(app.ctx.db);
  ctx.clock.advance(10 * 60_000); // past the retry's backoff
  await app.ctx.jobs.drain();
  ctx.clock.advance(2000);
  await app.ctx.jobs.drain();
  assert.equal(await jobs(), [{ kind: 'message.process', status: 'done' }, { kind: 'ai.reply', status: 'done' }]);
  assert.is(ctx.stub.chatRequests.length, 1);
  const ai = await app.ctx.db.selectFrom('messages').select('text').where('author_kind', '=', 'ai').execute();
  assert.equal(ai, [{ text: 'Да, доставляем.' }]);
});

test('a voice note is transcribed through the provider and answered', async (ctx) => {
  const { app, clientId, account } = await open(undefined, ctx.clock);
  ctx.app = app;
  await configure(app, clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'local', disclosure: null, transcribeVoice: true, debounceSeconds: 1 });
  ctx.stub.transcript = 'Сколько стоит доставка в Шымкент?';
  const audio = await storeAttachment(app.ctx.db, app.ctx.clock, app.dir, { clientId, fileName: 'voice.ogg', mime: 'audio/ogg', bytes: new Uint8Array([79, 103, 103, 83, 1, 2, 3]) });
  await ingestInbound(app.ctx, { channelAccountId: account.id, platformMessageId: 'voice-1', text: '', attachments: [audio], from: { identities: [{ kind: 'sandbox', value: 'voice' }] } });
  await app.ctx.jobs.drain();
  ctx.clock.advance(1000);
  await app.ctx.jobs.drain();
  assert.ok(ctx.stub.requests.some((r) => r.path.endsWith('/audio/transcriptions')));
  const chat = ctx.stub.chatRequests[0].json!.messages.at(-1)!;
  assert.match(chat.content, /Сколько стоит доставка в Шымкент\?/);
});

/** A customer sends a voice note; the quiet period passes and the AI's jobs run. */
async function voiceNote(app: TestApp, clock: ManualClock, clientId: string, account: ChannelAccount, customer: string): Promise<void> {
  const audio = await storeAttachment(app.ctx.db, app.ctx.clock, app.dir, { clientId, fileName: 'voice.ogg', mime: 'audio/ogg', bytes: new Uint8Array([79, 103, 103, 83, 1, 2, 3]) });
  await ingestInbound(app.ctx, { channelAccountId: account.id, platformMessageId: `voice-${customer}`, text: '', attachments: [audio], from: { identities: [{ kind: 'sandbox', value: customer }] } });
  await app.ctx.jobs.drain();
  clock.advance(1000);
  await app.ctx.jobs.drain();
}
const transcriptions = (stub: OpenAiStandIn) => stub.requests.filter((r) => r.path.endsWith('/audio/transcriptions')).length;

test('a provider abroad transcribes voice notes only while the owner\'s authorisation stands', async (ctx) => {
  const { app, clientId, account } = await open(undefined, ctx.clock);
  ctx.app = app;
  const owner = await buildUser(app, 'owner', clientId);
  const actor = { id: owner.id, email: owner.email, role: 'owner', clientId };
  await recordTransferConsent(app.ctx.db, app.ctx.clock, actor, { clientId, provider: 'compatible' });
  await configure(app, clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: false, model: 'abroad', disclosure: null, transcribeVoice: true, debounceSeconds: 1 });
  ctx.stub.transcript = 'Вы работаете в воскресенье?';
  await voiceNote(app, ctx.clock, clientId, account, 'first');
  assert.is(transcriptions(ctx.stub), 1);
  assert.match(ctx.stub.chatRequests[0].json!.messages.at(-1)!.content, /Вы работаете в воскресенье\?/, 'the reply is to the transcript');
  await withdrawTransferConsent(app.ctx.db, app.ctx.clock, actor, { clientId, provider: 'compatible' });
  await voiceNote(app, ctx.clock, clientId, account, 'second');
  assert.is(transcriptions(ctx.stub), 1, 'no audio left after the withdrawal');
  assert.is(ctx.stub.chatRequests.length, 1);
});

test('with transcription off a voice note is not sent to the audio endpoint', async (ctx) => {
  const { app, clientId, account } = await open(undefined, ctx.clock);
  ctx.app = app;
  await configure(app, clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'local', disclosure: null, transcribeVoice: false, debounceSeconds: 1 });
  await voiceNote(app, ctx.clock, clientId, account, 'voice');
  assert.is(transcriptions(ctx.stub), 0);
  assert.is(ctx.stub.chatRequests.length, 1, 'the note is still answered (as an attachment)');
});

test.run();
