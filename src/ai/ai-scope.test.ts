import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDemoAi, closeDemoAi } from '../testing/ai-fixture.ts';
import type { TestApp } from '../testing/test-app.ts';
import type { OpenAiStandIn } from '../testing/openai-stand-in.ts';
import { buildChannel } from '../testing/messaging-fixtures.ts';
import type { ManualClock } from '../lib/clock.ts';
import { customerThread, postAsCustomer, type ChannelAccount } from '../channels/index.ts';
import { updateAiSettings, type AiSettingsPatch } from './index.ts';

// What the client's AI settings decide besides the provider: which channels the AI works, which
// contacts it never sees, the languages and reply length the model is told, and the disclosure.
type Ctx = { app: TestApp; stub: OpenAiStandIn; clientId: string; account: ChannelAccount; clock: ManualClock };
const test = suite<Ctx>('AI settings: working channels, restricted contacts, prompt rules, disclosure');

test.before.each(async (ctx) => {
  Object.assign(ctx, await openDemoAi());
});
test.after.each((ctx) => closeDemoAi(ctx));

const configure = (ctx: Ctx, patch: AiSettingsPatch) => updateAiSettings(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, patch, { id: null, label: 'test' });
const local = (ctx: Ctx, extra: AiSettingsPatch = {}) => configure(ctx, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'local', debounceSeconds: 4, ...extra });
/** A customer message, then the quiet period passes and the AI's jobs run. */
async function turn(ctx: Ctx, text: string, customer = 'aigerim', account = ctx.account): Promise<void> {
  await postAsCustomer(ctx.app.ctx, account, { text, customer });
  await ctx.app.ctx.jobs.drain();
  ctx.clock.advance(5000);
  await ctx.app.ctx.jobs.drain();
}
const seen = async (ctx: Ctx, customer = 'aigerim', account = ctx.account) => (await customerThread(ctx.app.ctx.db, account, customer)).map((m) => `${m.authorKind}: ${m.text}`);

test('a conversation on a channel outside the AI\'s working channels gets no AI call', async (ctx) => {
  const second = await buildChannel(ctx.app, ctx.clientId, 'sandbox', 'Second shop');
  await local(ctx, { disclosure: null, channelIds: [ctx.account.id] });
  await turn(ctx, 'Здравствуйте, вы работаете?', 'other', second);
  assert.is(ctx.stub.chatRequests.length, 0, 'the second channel is not the AI\'s');
  assert.equal(await seen(ctx, 'other', second), ['contact: Здравствуйте, вы работаете?']);
  await turn(ctx, 'Здравствуйте, вы работаете?');
  assert.is(ctx.stub.chatRequests.length, 1, 'the working channel is answered');
});

test('a contact with processing restricted is never sent to any AI, the offline FAQ responder included', async (ctx) => {
  // The fresh install's offline FAQ responder answers first.
  await turn(ctx, 'Сколько стоит доставка по Алматы?');
  const calls = async () => (await ctx.app.ctx.db.selectFrom('ai_calls').select('id').execute()).length;
  assert.is(await calls(), 1);
  const before = (await seen(ctx)).length;
  const conv = await ctx.app.ctx.db.selectFrom('conversations').select('contact_id').where('client_id', '=', ctx.clientId).executeTakeFirstOrThrow();
  await ctx.app.ctx.db.updateTable('contacts').set({ restricted: 1 }).where('id', '=', conv.contact_id).execute();
  await turn(ctx, 'А доставка в Астану сколько стоит?');
  assert.is(await calls(), 1, 'the FAQ responder was not consulted');
  assert.is((await seen(ctx)).length, before + 1, 'only the customer\'s message was added');
  await local(ctx, { disclosure: null });
  await turn(ctx, 'Ответьте, пожалуйста');
  assert.is(ctx.stub.requests.length, 0, 'nor the model');
});

test('the model is told the allowed languages and the reply length, and max tokens follow the length', async (ctx) => {
  await local(ctx, { disclosure: null, languages: ['kk', 'en'], replyLength: 'short' });
  await turn(ctx, 'Сәлеметсіз бе, жеткізу бар ма?');
  const body = ctx.stub.chatRequests[0].json!;
  const system = body.messages[0];
  assert.is(system.role, 'system');
  assert.match(system.content, /one of: Kazakh, English; otherwise in Kazakh\./);
  assert.not.match(system.content, /Russian/);
  assert.match(system.content, /one or two short sentences/);
  assert.is(body.max_tokens, 150);
  await local(ctx, { languages: ['ru'], replyLength: 'long' });
  await turn(ctx, 'Здравствуйте', 'second');
  const long = ctx.stub.chatRequests[1].json!;
  assert.match(long.messages[0].content, /one of: Russian; otherwise in Russian\./);
  assert.match(long.messages[0].content, /under ten sentences/);
  assert.is(long.max_tokens, 700);
});

test('the AI disclosure is sent once at the start of a conversation, not with every reply', async (ctx) => {
  await local(ctx, { disclosure: 'Вы общаетесь с ИИ-ассистентом; напишите «оператор», чтобы позвать человека.' });
  ctx.stub.always({ text: 'Ответ' });
  for (const q of ['Здравствуйте', 'Есть доставка?', 'А самовывоз?']) await turn(ctx, q);
  const thread = await seen(ctx);
  assert.equal(thread.filter((l) => l.startsWith('system:')), ['system: Вы общаетесь с ИИ-ассистентом; напишите «оператор», чтобы позвать человека.']);
  assert.match(thread[1], /^system: Вы общаетесь с ИИ-ассистентом/, 'right after the first message');
  assert.is(thread.filter((l) => l.startsWith('ai:')).length, 3);
});

test('with the disclosure turned off (null) no disclosure line is sent', async (ctx) => {
  await local(ctx, { disclosure: null });
  ctx.stub.always({ text: 'Ответ' });
  await turn(ctx, 'Здравствуйте');
  assert.equal(await seen(ctx), ['contact: Здравствуйте', 'ai: Ответ']);
});

test.run();
