import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDemoAi, closeDemoAi, type DemoAi } from '../testing/ai-fixture.ts';
import { buildUser } from '../testing/test-app.ts';
import { startSmtpStandIn, mailText, mailSubject, englishRuns, type SmtpStandIn } from '../testing/smtp-stand-in.ts';
import { updateUser } from '../auth/index.ts';
import { customerThread, postAsCustomer } from '../channels/index.ts';
import { sendMessage } from '../messaging/index.ts';
import { setSetting } from '../settings/index.ts';
import { updateAiSettings } from '../ai/index.ts';
import { assignPlan, checkQuotas, createPlan, localDay, quotaStatus, recordUsage, rollupUsage, type PlanInput } from './index.ts';

// Quotas through the real pipeline: the sandbox channel, the AI with a local OpenAI-compatible
// stand-in, the rollup, the owners' e-mail. A stop_ai plan past its limit hands each new
// conversation to a person once (fallback text, never silence); messages and agents go on.

type Ctx = DemoAi & { smtp: SmtpStandIn; ownerEmail: string };
const test = suite<Ctx>('plan quotas');
const OP = { id: null, label: 'test' };

const plan = (over: Partial<PlanInput> = {}): PlanInput => ({
  name: 'Start', currency: 'KZT', monthlyPriceMinor: 500_000,
  included: { messages: null, ai_replies: 2, ai_tokens: null, api_calls: null, channels: null },
  overageMinor: { messages: 0, ai_replies: 0, ai_tokens: 0, api_calls: 0, channels: 0 }, onLimit: 'stop_ai', ...over,
});

test.before.each(async (ctx) => {
  Object.assign(ctx, await openDemoAi());
  ctx.smtp = await startSmtpStandIn();
  const { db, vault, clock } = ctx.app.ctx;
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(ctx.smtp.port)], ['smtp.secure', 'false'], ['smtp.from', 'noreply@habar.kz']]) await setSetting(db, vault, clock, k, v);
  ctx.ownerEmail = (await buildUser(ctx.app, 'owner', ctx.clientId, 'owner@demo.kz')).email;
  await updateAiSettings(db, vault, clock, ctx.clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'qwen-local', debounceSeconds: 4, disclosure: null }, OP);
  ctx.stub.always({ text: 'Да, конечно.' });
});
test.after.each(async (ctx) => {
  await ctx.smtp.close();
  await closeDemoAi(ctx);
});

const say = async (ctx: Ctx, customer: string, text: string) => {
  await postAsCustomer(ctx.app.ctx, ctx.account, { text, customer });
  await ctx.app.ctx.jobs.drain();
  ctx.clock.advance(5_000);
  await ctx.app.ctx.jobs.drain();
};
const thread = async (ctx: Ctx, customer: string) => (await customerThread(ctx.app.ctx.db, ctx.account, customer)).map((m) => `${m.authorKind}: ${m.text}`);
const rollup = async (ctx: Ctx) => {
  await rollupUsage(ctx.app.ctx.db, ctx.app.ctx.clock);
  const client = { id: ctx.clientId, timezone: 'Asia/Almaty' };
  return checkQuotas(ctx.app.ctx.db, ctx.app.ctx.clock, [client]);
};
const monthStart = (ctx: Ctx) => `${localDay(ctx.clock.now(), 'Asia/Almaty').slice(0, 7)}-01`;

test('at 80 % and 100 % the owner is e-mailed once; past the limit a stop_ai plan hands new conversations to a person with the fallback text', async (ctx) => {
  const { db, clock } = ctx.app.ctx;
  const p = await createPlan(db, clock, plan({ included: { messages: null, ai_replies: 5, ai_tokens: null, api_calls: null, channels: null } }), OP);
  await assignPlan(db, clock, ctx.clientId, p.id, monthStart(ctx), OP);
  const kkOwner = await buildUser(ctx.app, 'owner', ctx.clientId, 'kk-owner@demo.kz');
  await updateUser(db, clock, kkOwner.id, { language: 'kk' });
  for (const who of ['c1', 'c2', 'c3', 'c4']) await say(ctx, who, 'Есть доставка?');
  assert.equal(await rollup(ctx), [{ clientId: ctx.clientId, metric: 'ai_replies', threshold: 80 }]);
  await ctx.app.ctx.jobs.drain();
  // Each owner in their own language (a new owner's is Russian; the other chose Kazakh).
  const eighty = await ctx.smtp.waitFor(ctx.ownerEmail);
  assert.match(mailSubject(eighty), /: израсходовано 80 % включённого в тариф \(«Ответы ИИ»\)$/);
  assert.match(mailText(eighty), /израсходовал 4 из 5 включённых в тариф \(«Ответы ИИ», 80 %\)/);
  const eightyKk = await ctx.smtp.waitFor(kkOwner.email);
  assert.match(mailText(eightyKk), /тарифке кіретін 5 ішінен 4 пайдаланды \(«ЖИ жауаптары», 80 %\)/);
  await say(ctx, 'c5', 'Есть доставка?');
  assert.equal(await rollup(ctx), [{ clientId: ctx.clientId, metric: 'ai_replies', threshold: 100 }]);
  assert.equal(await rollup(ctx), [], 'each threshold once per period');
  await ctx.app.ctx.jobs.drain();
  assert.is(ctx.smtp.messages.length, 4, 'two thresholds, one message per language each');
  const [hundred, hundredKk] = [ctx.ownerEmail, kkOwner.email].map((to) => ctx.smtp.messages.filter((m) => m.to.includes(to))[1]);
  assert.match(mailText(hundred), /останавливает ответы ИИ сверх лимита/);
  assert.match(mailText(hundredKk), /лимиттен асқанда ЖИ жауаптарын тоқтатады/);
  for (const m of ctx.smtp.messages) assert.equal(englishRuns(`${mailSubject(m)}\n${mailText(m)}`), [], 'no English sentence');
  assert.ok((await quotaStatus(db, clock, ctx.clientId)).aiStopped);

  // Past the limit: the customer is answered once with the fallback text, and the provider is not called.
  const calls = ctx.stub.chatRequests.length;
  await say(ctx, 'c6', 'А самовывоз?');
  await say(ctx, 'c6', 'Алло?');
  assert.is(ctx.stub.chatRequests.length, calls, 'no AI call past the limit');
  const t = await thread(ctx, 'c6');
  assert.is(t.length, 3);
  assert.match(t[1], /^ai: /, 'the fallback text, never silence');
  assert.is(t[2], 'contact: Алло?', 'handed off once: no second fallback');
  const conv = await db.selectFrom('conversations').innerJoin('ai_conversations', 'ai_conversations.conversation_id', 'conversations.id')
    .select(['conversations.id', 'conversations.ai_state', 'ai_conversations.handoff_reason']).where('conversations.client_id', '=', ctx.clientId)
    .orderBy('conversations.created_at', 'desc').executeTakeFirstOrThrow();
  assert.is(conv.handoff_reason, 'plan_quota');
  assert.is(conv.ai_state, 'handed_off');

  // People still answer.
  const agent = await buildUser(ctx.app, 'agent', ctx.clientId);
  await sendMessage(ctx.app.ctx, ctx.clientId, conv.id, { text: 'Здравствуйте, самовывоз есть.', authorKind: 'agent', authorUserId: agent.id });
  await ctx.app.ctx.jobs.drain();
  assert.is((await thread(ctx, 'c6')).at(-1), 'agent: Здравствуйте, самовывоз есть.');

  // An upgrade lifts the stop at once.
  const bigger = await createPlan(db, clock, plan({ name: 'Pro', included: { messages: null, ai_replies: 1000, ai_tokens: null, api_calls: null, channels: null } }), OP);
  await assignPlan(db, clock, ctx.clientId, bigger.id, localDay(clock.now(), 'Asia/Almaty'), OP);
  await say(ctx, 'c7', 'Есть доставка?');
  assert.equal(await thread(ctx, 'c7'), ['contact: Есть доставка?', 'ai: Да, конечно.']);
});

test('a plan that bills overage keeps the AI answering past the limit; no plan at all never stops it', async (ctx) => {
  const { db, clock } = ctx.app.ctx;
  await say(ctx, 'n1', 'Есть доставка?');
  await rollup(ctx);
  assert.equal(await thread(ctx, 'n1'), ['contact: Есть доставка?', 'ai: Да, конечно.'], 'no plan: the AI answers');
  const p = await createPlan(db, clock, plan({ onLimit: 'bill', included: { messages: null, ai_replies: 1, ai_tokens: null, api_calls: null, channels: null } }), OP);
  await assignPlan(db, clock, ctx.clientId, p.id, monthStart(ctx), OP);
  await rollup(ctx);
  await say(ctx, 'n2', 'Есть доставка?');
  assert.equal(await thread(ctx, 'n2'), ['contact: Есть доставка?', 'ai: Да, конечно.'], 'over the limit on a billing plan: still answered');
});

test('a question scheduled before the limit was reached is handed off when its reply is due, without calling the provider', async (ctx) => {
  const { db, clock } = ctx.app.ctx;
  const p = await createPlan(db, clock, plan({ included: { messages: null, ai_replies: 1, ai_tokens: null, api_calls: null, channels: null } }), OP);
  await assignPlan(db, clock, ctx.clientId, p.id, monthStart(ctx), OP);
  await postAsCustomer(ctx.app.ctx, ctx.account, { text: 'Вопрос', customer: 'late' });
  await ctx.app.ctx.jobs.drain(); // the reply is scheduled (quiet period)
  // Meanwhile the one included AI reply is used up (say, by the API's playground or another conversation).
  await recordUsage(db, clock, { clientId: ctx.clientId, kind: 'ai_call', meta: { tokens_in: 10, tokens_out: 5 } });
  await rollup(ctx);
  const calls = ctx.stub.chatRequests.length;
  ctx.clock.advance(5_000);
  await ctx.app.ctx.jobs.drain();
  assert.is(ctx.stub.chatRequests.length, calls);
  const t = await thread(ctx, 'late');
  assert.is(t.length, 2);
  assert.match(t[1], /^ai: /);
  assert.is.not(t[1], 'ai: Да, конечно.', 'the fallback text, not a provider answer');
});

test.run();
