import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildClient, buildUser, loginAs, makeTestApp, postForm, TEST_PASSWORD, type CookieJar, type TestApp } from '../../testing/test-app.ts';
import { buildChannel, customerSays } from '../../testing/messaging-fixtures.ts';
import type { ManualClock } from '../../lib/clock.ts';
import type { Client } from '../../tenants/index.ts';
import { assignPlan, createPlan, getBillingDetails, issueStatement, recordUsage, rollupUsage, type PlanInput } from '../../billing/index.ts';

// The usage page, billing details, plans and statements as people use them, and /metrics' per-client series.

type Ctx = { app: TestApp; clock: ManualClock; client: Client; owner: CookieJar; admin: CookieJar; emails: string[] };
const test = suite<Ctx>('usage and billing screens');
const OP = { id: null, label: 'test' };
const PLAN: PlanInput = {
  name: 'Start', currency: 'KZT', monthlyPriceMinor: 500_000, included: { messages: 5, ai_replies: null, ai_tokens: null, api_calls: null, channels: null },
  overageMinor: { messages: 100, ai_replies: 0, ai_tokens: 0, api_calls: 0, channels: 0 }, onLimit: 'bill',
};

async function open(ctx: Ctx, env: Record<string, string> = {}) {
  ctx.app = await makeTestApp({ seed: false, env });
  ctx.clock = ctx.app.clock as ManualClock;
  ctx.clock.set('2026-03-15T17:00:00.000Z'); // 22:00 in Almaty
  ctx.client = await buildClient(ctx.app, { slug: 'alpha', name: 'Alpha' });
  ctx.emails = [(await buildUser(ctx.app, 'owner', ctx.client.id)).email, (await buildUser(ctx.app, 'admin')).email];
  await login(ctx);
}
/** Signs both in again (after the clock moved past a session's idle time). */
async function login(ctx: Ctx) {
  ctx.owner = await loginAs(ctx.app, ctx.emails[0], TEST_PASSWORD);
  ctx.admin = await loginAs(ctx.app, ctx.emails[1], TEST_PASSWORD);
}
test.before.each((ctx) => open(ctx));
test.after.each((ctx) => ctx.app.cleanup());

const get = async (ctx: Ctx, jar: CookieJar, path: string) => {
  const res = await ctx.app.request(path, { jar });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

async function someUsage(ctx: Ctx) {
  const ch = await buildChannel(ctx.app, ctx.client.id, 'sandbox', 'Website chat');
  for (let i = 0; i < 4; i++) await customerSays(ctx.app, ch.id, `cust-${i}`, `Вопрос ${i}`);
  ctx.clock.set('2026-03-15T19:30:00.000Z'); // 00:30 on 16 March in Almaty
  await recordUsage(ctx.app.ctx.db, ctx.app.ctx.clock, { clientId: ctx.client.id, kind: 'ai_call', meta: { tokens_in: 100, tokens_out: 20 } });
  await rollupUsage(ctx.app.ctx.db, ctx.app.ctx.clock);
  return ch;
}

test('the owner’s usage page draws this month as SVG bar charts (no script needed), tables by day and channel, and a CSV', async (ctx) => {
  await someUsage(ctx);
  const page = await get(ctx, ctx.owner, '/clients/alpha/usage');
  assert.is(page.status, 200);
  assert.match(page.text, /<svg[^>]*data-testid="chart-messages"/);
  assert.match(page.text, /<rect[^>]*><title>2026-03-15 · [^:]+: 4<\/title><\/rect>/, 'a bar per day, titled with its figure');
  assert.match(page.text, /<svg[^>]*data-testid="chart-ai"/);
  assert.match(page.text, /Website chat/);
  assert.not.match(page.text, /<script[^>]*>[^<]*chart/i);
  const csv = await get(ctx, ctx.owner, '/clients/alpha/usage.csv?month=2026-03');
  assert.match(csv.type, /^text\/csv/);
  assert.match(csv.text, /^date,channel_id,kind,quantity\r\n2026-03-15,[0-9a-z]+,message_in,4\r\n2026-03-16,,ai_call,1\r\n2026-03-16,,ai_tokens_in,100\r\n2026-03-16,,ai_tokens_out,20\r\n$/);
  assert.is((await get(ctx, ctx.owner, '/clients/alpha/usage?month=2026-13')).status, 400);
  const feb = await get(ctx, ctx.owner, '/clients/alpha/usage?month=2026-02');
  assert.match(feb.text, /<td>2026-02-28<\/td><td>0<\/td>/, 'every day of the month, zeros included');
});

test('at 80 % of an included amount the owner sees a banner on the client’s pages', async (ctx) => {
  const plan = await createPlan(ctx.app.ctx.db, ctx.app.ctx.clock, PLAN, OP);
  await assignPlan(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.client.id, plan.id, '2026-03-01', OP);
  assert.not.match((await get(ctx, ctx.owner, '/clients/alpha/usage')).text, /id="quota-alerts"/);
  await someUsage(ctx);
  const page = (await get(ctx, ctx.owner, '/clients/alpha/billing')).text;
  assert.match(page, /id="quota-alerts"/);
  assert.match(page, /4 из 5/);
});

test('billing details: the owner saves them; a card number is refused with a message and nothing changes', async (ctx) => {
  let res = await postForm(ctx.app, ctx.owner, '/clients/alpha/billing/details', { legal_name: 'ТОО Альфа', bin: '123456789012', invoice_address: 'Алматы, Абая 1', email: 'acc@alpha.kz' });
  assert.is(res.status, 303);
  res = await postForm(ctx.app, ctx.owner, '/clients/alpha/billing/details', { legal_name: 'ТОО Альфа', bin: '123456789012', invoice_address: 'оплата картой 4111 1111 1111 1111', email: 'acc@alpha.kz' });
  assert.is(res.status, 422);
  assert.match(await res.text(), /номер платёжной карты/);
  assert.equal(await getBillingDetails(ctx.app.ctx.db, ctx.client.id), { legalName: 'ТОО Альфа', bin: '123456789012', invoiceAddress: 'Алматы, Абая 1', email: 'acc@alpha.kz' });
  // A card number typed in the company's own details is refused too.
  res = await postForm(ctx.app, ctx.admin, '/clients/alpha/edit', { name: 'Alpha 5500 0000 0000 0004' });
  assert.ok([400, 422].includes(res.status), `company name with a card number: ${res.status}`);
});

test('roles and tenancy: an agent cannot see billing, another client’s owner gets 404, only the operator assigns plans', async (ctx) => {
  const agent = await buildUser(ctx.app, 'agent', ctx.client.id);
  const agentJar = await loginAs(ctx.app, agent.email, TEST_PASSWORD);
  assert.is((await get(ctx, agentJar, '/clients/alpha/usage')).status, 403);
  const other = await buildClient(ctx.app, { slug: 'other' });
  const otherOwner = await buildUser(ctx.app, 'owner', other.id);
  const otherJar = await loginAs(ctx.app, otherOwner.email, TEST_PASSWORD);
  assert.is((await get(ctx, otherJar, '/clients/alpha/usage')).status, 404);
  assert.is((await get(ctx, otherJar, '/clients/alpha/billing')).status, 404);
  const plan = await createPlan(ctx.app.ctx.db, ctx.app.ctx.clock, PLAN, OP);
  assert.is((await postForm(ctx.app, ctx.owner, '/clients/alpha/billing/plan', { plan_id: plan.id, starts_on: '2026-03-01' })).status, 403);
  assert.is((await postForm(ctx.app, ctx.admin, '/clients/alpha/billing/plan', { plan_id: plan.id, starts_on: '2026-03-01' })).status, 303);
  assert.match((await get(ctx, ctx.owner, '/clients/alpha/billing')).text, /<td>2026-03-01<\/td><td>Start<\/td>/);
  assert.is((await get(ctx, ctx.owner, '/billing/plans')).status, 403);
});

test('the operator defines a plan in the UI; a card number in its name is refused', async (ctx) => {
  const fields = { name: 'Бизнес', currency: 'kzt', monthly_price_minor: '1500000', included_messages: '1000', included_ai_replies: '', included_ai_tokens: '200000', included_api_calls: '', included_channels: '3',
    overage_messages_minor: '500', overage_ai_replies_minor: '0', overage_ai_tokens_minor: '20000', overage_api_calls_minor: '0', overage_channels_minor: '0', on_limit: 'stop_ai' };
  assert.is((await postForm(ctx.app, ctx.admin, '/billing/plans', fields)).status, 303);
  const bad = await postForm(ctx.app, ctx.admin, '/billing/plans', { ...fields, name: '4111111111111111' });
  assert.is(bad.status, 422);
  const page = (await get(ctx, ctx.admin, '/billing/plans')).text;
  assert.match(page, /<td><a href="\/billing\/plans\/[0-9a-z]+">Бизнес<\/a><\/td><td>15 000\.00 KZT<\/td><td>1000<\/td><td>∞<\/td>/);
  assert.not.match(page, /4111111111111111<\/td>/);
  // Changing it: the form comes prefilled; a bad value is refused, a good one saved.
  const id = /href="\/billing\/plans\/([0-9a-z]+)"/.exec(page)![1];
  const edit = (await get(ctx, ctx.admin, `/billing/plans/${id}`)).text;
  assert.match(edit, /name="included_ai_tokens"[^>]*value="200000"/);
  assert.is((await postForm(ctx.app, ctx.admin, `/billing/plans/${id}`, { ...fields, monthly_price_minor: '-1' })).status, 422);
  assert.is((await postForm(ctx.app, ctx.admin, `/billing/plans/${id}`, { ...fields, monthly_price_minor: '1800000' })).status, 303);
  assert.match((await get(ctx, ctx.admin, '/billing/plans')).text, /18 000\.00 KZT/);
  assert.is((await get(ctx, ctx.owner, `/billing/plans/${id}`)).status, 403);
});

test('a statement is a printable page, a CSV and a JSON file for the client; the operator can issue a correction', async (ctx) => {
  const plan = await createPlan(ctx.app.ctx.db, ctx.app.ctx.clock, PLAN, OP);
  await assignPlan(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.client.id, plan.id, '2026-03-01', OP);
  await someUsage(ctx);
  ctx.clock.set('2026-03-31T19:30:00.000Z');
  const s = (await issueStatement(ctx.app.ctx, ctx.client.id, { start: '2026-03-01', end: '2026-03-31' }, { by: OP }))!;
  await login(ctx);
  const page = await get(ctx, ctx.owner, `/clients/alpha/statements/${s.number}`);
  assert.is(page.status, 200);
  assert.match(page.text, new RegExp(`Выписка № ${s.number}`));
  assert.match(page.text, /data-testid="statement-total">5 000\.00 KZT</);
  assert.match(page.text, /@media print|app\.css/);
  assert.match((await get(ctx, ctx.owner, `/clients/alpha/statements/${s.number}.csv`)).type, /^text\/csv/);
  assert.is(JSON.parse((await get(ctx, ctx.owner, `/clients/alpha/statements/${s.number}.json`)).text).number, s.number);
  assert.match((await get(ctx, ctx.owner, '/clients/alpha/billing')).text, new RegExp(`href="/clients/alpha/statements/${s.number}"`));
  assert.is((await postForm(ctx.app, ctx.owner, `/clients/alpha/statements/${s.number}/correct`, {})).status, 403);
  const corrected = await postForm(ctx.app, ctx.admin, `/clients/alpha/statements/${s.number}/correct`, {});
  assert.is(corrected.status, 303);
  const next = corrected.headers.get('location')!;
  assert.match((await get(ctx, ctx.owner, next)).text, new RegExp(`исправляет ${s.number}`));
  const other = await buildClient(ctx.app, { slug: 'other' });
  const otherJar = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', other.id)).email, TEST_PASSWORD);
  assert.is((await get(ctx, otherJar, `/clients/other/statements/${s.number}`)).status, 404, 'another client’s number is not found');
});

test('/metrics without HABAR_METRICS_TOKEN stays open and leaves per-client series out', async (ctx) => {
  await someUsage(ctx);
  const res = await ctx.app.request('/metrics');
  assert.is(res.status, 200);
  assert.not.match(await res.text(), /habar_client_usage_total/);
});

test('/metrics with HABAR_METRICS_TOKEN needs the bearer token and shows per-client counters labelled by client id only', async (ctx) => {
  await ctx.app.cleanup();
  await open(ctx, { HABAR_METRICS_TOKEN: 'metrics-secret-token' });
  await someUsage(ctx);
  assert.is((await ctx.app.request('/metrics')).status, 401);
  assert.is((await ctx.app.request('/metrics', { headers: { authorization: 'Bearer wrong' } })).status, 401);
  const res = await ctx.app.request('/metrics', { headers: { authorization: 'Bearer metrics-secret-token' } });
  assert.is(res.status, 200);
  const text = await res.text();
  assert.match(text, new RegExp(`habar_client_usage_total\\{client_id="${ctx.client.id}",kind="message_in"\\} 4`));
  assert.not.match(text, /Alpha|alpha/, 'no client names or slugs');
  assert.not.match(ctx.app.logs.join('\n'), /metrics-secret-token/);
});

test.run();
