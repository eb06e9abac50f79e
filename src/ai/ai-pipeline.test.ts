import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDemoAi, closeDemoAi } from '../testing/ai-fixture.ts';
import { buildUser, type TestApp } from '../testing/test-app.ts';
import type { OpenAiStandIn } from '../testing/openai-stand-in.ts';
import type { ManualClock } from '../lib/clock.ts';
import { customerThread, postAsCustomer, type ChannelAccount } from '../channels/index.ts';
import { sendMessage, setConversationStatus } from '../messaging/index.ts';
import { startSmtpStandIn, mailText, mailSubject, englishRuns } from '../testing/smtp-stand-in.ts';
import { setSetting } from '../settings/index.ts';
import { updateUser } from '../auth/index.ts';
import { aiReport, recordTransferConsent, updateAiSettings, usageByDay, withdrawTransferConsent, type AiSettingsPatch } from './index.ts';

type Ctx = { app: TestApp; stub: OpenAiStandIn; clientId: string; account: ChannelAccount; clock: ManualClock };
const test = suite<Ctx>('AI assistant in the message pipeline');

const ADMIN = { id: null, label: 'test' };

test.before.each(async (ctx) => {
  Object.assign(ctx, await openDemoAi());
});
test.after.each((ctx) => closeDemoAi(ctx));

const configure = (ctx: Ctx, patch: AiSettingsPatch) => updateAiSettings(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, ctx.clientId, patch, ADMIN);
const local = (ctx: Ctx, extra: AiSettingsPatch = {}) => configure(ctx, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'qwen-local', debounceSeconds: 4, ...extra });
const say = (ctx: Ctx, text: string, customer = 'aigerim') => postAsCustomer(ctx.app.ctx, ctx.account, { text, customer });
const run = (ctx: Ctx) => ctx.app.ctx.jobs.drain();
const later = async (ctx: Ctx, seconds: number) => {
  ctx.clock.advance(seconds * 1000);
  await run(ctx);
};
const seen = async (ctx: Ctx, customer = 'aigerim') => (await customerThread(ctx.app.ctx.db, ctx.account, customer)).map((m) => `${m.authorKind}: ${m.text}`);
async function eventually(cond: () => Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const conversationOf = async (ctx: Ctx) => ctx.app.ctx.db.selectFrom('conversations').selectAll().where('client_id', '=', ctx.clientId).executeTakeFirstOrThrow();

test('a fresh install answers a sandbox customer from the demo FAQ, after the AI disclosure', async (ctx) => {
  await say(ctx, 'Здравствуйте! Сколько стоит доставка по Алматы?');
  await run(ctx);
  await later(ctx, 5);
  const thread = await seen(ctx);
  assert.is(thread.length, 3);
  assert.match(thread[1], /^system: Вы общаетесь с ИИ-ассистентом/);
  assert.match(thread[2], /^ai: По Алматы доставляем за 1 день/);
  assert.is(ctx.stub.requests.length, 0, 'the offline responder calls nobody');
});

test('five quick messages are one question and cause one call', async (ctx) => {
  await local(ctx, { disclosure: null });
  ctx.stub.always((req) => ({ text: `Got ${req.json!.messages.filter((m) => m.role === 'user').length} user turn(s)` }));
  for (const t of ['Привет', 'я хочу', 'записаться', 'на завтра', 'в 15:00']) {
    await say(ctx, t);
    await run(ctx);
    await later(ctx, 1);
  }
  assert.is(ctx.stub.chatRequests.length, 0, 'nothing before the quiet period ends');
  await later(ctx, 4);
  assert.is(ctx.stub.chatRequests.length, 1);
  const sent = ctx.stub.chatRequests[0].json!.messages;
  assert.match(sent[sent.length - 1].content, /Привет\nя хочу\nзаписаться\nна завтра\nв 15:00/);
  const thread = await seen(ctx);
  assert.is(thread.filter((l) => l.startsWith('ai:')).length, 1);
  await later(ctx, 60);
  assert.is(ctx.stub.chatRequests.length, 1, 'and never again');
});

test('a reply of the model is an AI message in the conversation (author "ai")', async (ctx) => {
  await local(ctx, { disclosure: null });
  ctx.stub.always({ text: 'Добрый день! Да, есть.' });
  await say(ctx, 'Есть ли у вас доставка?');
  await run(ctx);
  await later(ctx, 4);
  assert.equal(await seen(ctx), ['contact: Есть ли у вас доставка?', 'ai: Добрый день! Да, есть.']);
});

test('a paused conversation gets no AI reply however many messages the customer sends', async (ctx) => {
  await local(ctx, { disclosure: null, resumeAfterMinutes: 30 });
  await say(ctx, 'Здравствуйте');
  await run(ctx);
  await later(ctx, 4);
  assert.is(ctx.stub.chatRequests.length, 1);
  const conv = await conversationOf(ctx);
  const agent = await buildUser(ctx.app, 'agent', ctx.clientId);
  await sendMessage(ctx.app.ctx, ctx.clientId, conv.id, { text: 'Здравствуйте, это Асель, я помогу.', authorKind: 'agent', authorUserId: agent.id });
  await run(ctx);
  for (let i = 0; i < 12; i++) {
    await say(ctx, `вопрос ${i}`);
    await run(ctx);
    await later(ctx, 60);
  }
  assert.is(ctx.stub.chatRequests.length, 1, 'no call while a person is talking');
  assert.is((await conversationOf(ctx)).ai_state, 'paused');
  // After resume_after_minutes of quiet from the person, the AI answers again.
  await later(ctx, 30 * 60);
  await say(ctx, 'ау?');
  await run(ctx);
  await later(ctx, 4);
  assert.is(ctx.stub.chatRequests.length, 2);
  assert.is((await conversationOf(ctx)).ai_state, 'active');
});

test('a person who wrote while the AI was off holds it back once it is on, and the pause it finds is recorded', async (ctx) => {
  await configure(ctx, { enabled: false });
  await say(ctx, 'Здравствуйте');
  await run(ctx);
  const conv = await conversationOf(ctx);
  const wrote = ctx.clock.now().getTime();
  await sendMessage(ctx.app.ctx, ctx.clientId, conv.id, { text: 'Добрый день, это Асель.', authorKind: 'agent' });
  await run(ctx);
  assert.is((await conversationOf(ctx)).ai_state, 'active', 'the AI was off: nothing to pause then');
  await local(ctx, { disclosure: null, resumeAfterMinutes: 30 });
  await say(ctx, 'А доставка есть?');
  await run(ctx);
  await later(ctx, 10);
  assert.is(ctx.stub.chatRequests.length, 0, 'the AI does not talk over the person');
  const after = await conversationOf(ctx);
  assert.equal([after.ai_state, after.ai_paused_until], ['paused', new Date(wrote + 30 * 60_000).toISOString()]);
});

test('resolving a paused conversation resumes the AI', async (ctx) => {
  await local(ctx, { disclosure: null, resumeAfterMinutes: 600 });
  await say(ctx, 'Здравствуйте');
  await run(ctx);
  const conv = await conversationOf(ctx);
  await sendMessage(ctx.app.ctx, ctx.clientId, conv.id, { text: 'Слушаю вас', authorKind: 'agent' });
  await run(ctx);
  await later(ctx, 4);
  assert.is((await conversationOf(ctx)).ai_state, 'paused');
  await setConversationStatus(ctx.app.ctx, ctx.clientId, conv.id, 'resolved');
  // The hub reacts after the commit, asynchronously.
  await eventually(async () => (await conversationOf(ctx)).ai_state === 'active');
  await say(ctx, 'Ещё вопрос');
  await run(ctx);
  await later(ctx, 4);
  assert.is(ctx.stub.chatRequests.length, 1);
});

test('a handoff keyword hands off at once with the fallback text, and the AI stays quiet', async (ctx) => {
  await local(ctx, { disclosure: null });
  await say(ctx, 'Позовите оператора пожалуйста... нет, просто ОПЕРАТОР');
  await run(ctx);
  await later(ctx, 10);
  const conv = await conversationOf(ctx);
  assert.is(conv.ai_state, 'handed_off');
  const thread = await seen(ctx);
  assert.match(thread[1], /^ai: Спасибо за сообщение! Сейчас подключим сотрудника/);
  await say(ctx, 'алло');
  await run(ctx);
  await later(ctx, 10);
  assert.is(ctx.stub.chatRequests.length, 0);
});

test('the model calling its handoff tool hands the conversation to a person', async (ctx) => {
  await local(ctx, { disclosure: null });
  ctx.stub.next({ toolCall: { name: 'handoff_to_human', arguments: { reason: 'customer is angry' } } });
  await say(ctx, 'Это уже третий раз, когда вы теряете мой заказ!');
  await run(ctx);
  await later(ctx, 4);
  assert.is((await conversationOf(ctx)).ai_state, 'handed_off');
  const thread = await seen(ctx);
  assert.match(thread[thread.length - 1], /^ai: Спасибо за сообщение!/);
  const reason = await ctx.app.ctx.db.selectFrom('ai_conversations').select('handoff_reason').executeTakeFirstOrThrow();
  assert.is(reason.handoff_reason, 'tool');
});

test('provider failures end in the fallback text and a handoff, never an error text', async (ctx) => {
  await local(ctx, { disclosure: null, fallbackText: 'Извините, сейчас ответит наш менеджер.' });
  ctx.stub.always({ status: 429, retryAfter: '3600' });
  await say(ctx, 'Сколько стоит?');
  await run(ctx);
  await later(ctx, 4);
  const thread = await seen(ctx);
  assert.equal(thread, ['contact: Сколько стоит?', 'ai: Извините, сейчас ответит наш менеджер.']);
  assert.is((await conversationOf(ctx)).ai_state, 'handed_off');
  const calls = await ctx.app.ctx.db.selectFrom('ai_calls').selectAll().execute();
  assert.is(calls[0].outcome, 'failed');
  assert.is(calls[0].error_code, 'rate_limited');
});

test('a wrong key marks the provider "needs attention" for the owner', async (ctx) => {
  await local(ctx, { disclosure: null, apiKey: 'sk-wrong' });
  ctx.stub.always({ status: 401 });
  await say(ctx, 'Добрый день');
  await run(ctx);
  await later(ctx, 4);
  const s = await ctx.app.ctx.db.selectFrom('ai_settings').select(['provider_status', 'provider_error']).executeTakeFirstOrThrow();
  assert.is(s.provider_status, 'needs_attention');
  assert.match(s.provider_error!, /^auth/);
  assert.match((await seen(ctx))[1], /^ai: Спасибо за сообщение!/);
});

test('no request leaves for a provider abroad without consent, and none after it is withdrawn', async (ctx) => {
  const owner = await buildUser(ctx.app, 'owner', ctx.clientId);
  const abroad: AiSettingsPatch = { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: false, model: 'm', disclosure: null };
  try {
    await configure(ctx, abroad);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, 'transfer_consent_required');
  }
  const actor = { id: owner.id, email: owner.email, role: 'owner', clientId: ctx.clientId };
  await recordTransferConsent(ctx.app.ctx.db, ctx.app.ctx.clock, actor, { clientId: ctx.clientId, provider: 'compatible' });
  await configure(ctx, abroad);
  await say(ctx, 'Первый вопрос');
  await run(ctx);
  await later(ctx, 4);
  assert.is(ctx.stub.chatRequests.length, 1);
  await withdrawTransferConsent(ctx.app.ctx.db, ctx.app.ctx.clock, actor, { clientId: ctx.clientId, provider: 'compatible' });
  await say(ctx, 'Второй вопрос', 'someone-else');
  await run(ctx);
  await later(ctx, 4);
  assert.is(ctx.stub.chatRequests.length, 1, 'withdrawal stopped the calls at once');
  const thread = await seen(ctx, 'someone-else');
  assert.match(thread[1], /^ai: Спасибо за сообщение!/);
});

test('with redaction on no phone, e-mail or IIN reaches the provider, and the reply restores them', async (ctx) => {
  await local(ctx, { disclosure: null, redact: true });
  ctx.stub.always((req) => {
    const last = req.json!.messages[req.json!.messages.length - 1].content;
    const ph = last.match(/\[PHONE_\d+\]/)?.[0];
    const em = last.match(/\[EMAIL_\d+\]/)?.[0];
    return { text: `Записала: телефон ${ph}, почта ${em}.` };
  });
  await say(ctx, 'Мой номер +7 701 234 56 78, почта aigerim@mail.kz, ИИН 900101300123');
  await run(ctx);
  await later(ctx, 4);
  const body = ctx.stub.chatRequests[0].raw;
  for (const secret of ['701 234 56 78', '7012345678', 'aigerim@mail.kz', '900101300123']) assert.not.ok(body.includes(secret), `${secret} left the appliance`);
  assert.match((await seen(ctx))[1], /^ai: Записала: телефон \+7 701 234 56 78, почта aigerim@mail\.kz\.$/);
});

test('a contact who objected is never sent to any AI', async (ctx) => {
  await local(ctx, { disclosure: null });
  await say(ctx, 'первое');
  await run(ctx);
  await later(ctx, 4);
  const conv = await conversationOf(ctx);
  await ctx.app.ctx.db.updateTable('contacts').set({ objected: 1 }).where('id', '=', conv.contact_id).execute();
  await say(ctx, 'второе');
  await run(ctx);
  await later(ctx, 4);
  assert.is(ctx.stub.chatRequests.length, 1);
});

test('agents get an e-mail about a handoff in their own language (ru, kk) when SMTP is configured, without the customer\'s words', async (ctx) => {
  const smtp = await startSmtpStandIn();
  try {
    const set = (k: string, v: string) => setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.clock, k, v);
    await set('smtp.host', '127.0.0.1');
    await set('smtp.port', String(smtp.port));
    await set('smtp.secure', 'false');
    await set('smtp.from', 'Habar <noreply@example.kz>');
    const agent = await buildUser(ctx.app, 'agent', ctx.clientId, 'asel@shop.kz');
    const kkAgent = await buildUser(ctx.app, 'agent', ctx.clientId, 'dana@shop.kz');
    await updateUser(ctx.app.ctx.db, ctx.clock, kkAgent.id, { language: 'kk' });
    await local(ctx, { disclosure: null });
    await say(ctx, 'Мой заказ 5531 потерялся, дайте оператора');
    await run(ctx);
    const mail = await smtp.waitFor(agent.email);
    const text = mailText(mail);
    assert.match(mailSubject(mail), /: разговор ждёт сотрудника$/);
    assert.match(text, /ИИ-ассистент передал разговор сотруднику \(клиент попросил сотрудника\)/);
    assert.match(text, /\/clients\/demo\/inbox\//);
    assert.not.match(text, /5531|потерялся/);
    const kk = await smtp.waitFor(kkAgent.email);
    assert.not.ok(kk.to.includes(agent.email), 'one message per language');
    assert.match(mailSubject(kk), /: сөйлесу қызметкерді күтеді$/);
    assert.match(mailText(kk), /ЖИ-көмекші сөйлесуді қызметкерге берді \(клиент қызметкерді сұрады\)/);
    for (const m of [mail, kk]) assert.equal(englishRuns(`${mailSubject(m)}\n${mailText(m)}`), [], 'no English sentence');
  } finally {
    await smtp.close();
  }
});

test('the AI report counts AI-alone and handed-off conversations; usage counts calls and tokens', async (ctx) => {
  await local(ctx, { disclosure: null });
  ctx.stub.next({ text: 'Ответ', usage: { prompt_tokens: 100, completion_tokens: 10 } }, { toolCall: { name: 'handoff_to_human', arguments: { reason: 'x' } } });
  await say(ctx, 'вопрос один', 'a');
  await run(ctx);
  await later(ctx, 4);
  await say(ctx, 'вопрос два', 'b');
  await run(ctx);
  await later(ctx, 4);
  const from = new Date(ctx.clock.now().getTime() - 3600_000).toISOString();
  const to = new Date(ctx.clock.now().getTime() + 60_000).toISOString();
  const report = await aiReport(ctx.app.ctx.db, ctx.clientId, from, to);
  assert.is(report.conversations, 2);
  assert.is(report.aiAlone, 1);
  assert.is(report.handedOff, 1);
  assert.equal(report.handoffReasons, { tool: 1 });
  assert.is(report.firstResponseAi.n, 2);
  assert.is(report.firstResponseAi.p50Ms! >= 4000, true);
  const rows = await usageByDay(ctx.app.ctx.db, ctx.clientId, from, to);
  assert.is(rows.length, 1);
  assert.is(rows[0].calls, 2);
  assert.is(rows[0].tokensIn >= 100, true);
});

test.run();
