import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant } from '../../../testing/api-client.ts';
import type { ManualClock } from '../../../lib/clock.ts';
import { assignPlan, createPlan, issueStatement, recordUsage, rollupUsage } from '../../../billing/index.ts';

// The integrators' contract: GET /api/v1/usage and the statements, exactly as the README says.

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; t: Tenant; clock: ManualClock }>('usage and statements API');
const OP = { id: null, label: 'test' };

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.clock = ctx.app.clock as ManualClock;
  ctx.clock.set('2026-03-15T06:00:00.000Z');
  ctx.t = await buildApiTenant(ctx.app, 'acme');
});
test.after.each((ctx) => ctx.app.cleanup());

test('usage lists this month’s non-zero counters by client-local day, channel and kind; API calls have no channel', async ({ app, t, clock }) => {
  await t.customerSays('Салем');
  await t.customerSays('Есть доставка?');
  await t.api('GET', '/api/v1/channels'); // one API call (counted after its answer)
  clock.set('2026-03-15T20:00:00.000Z'); // 16 March, 01:00 in Almaty
  await recordUsage(app.ctx.db, app.ctx.clock, { clientId: t.client.id, kind: 'ai_call', meta: { tokens_in: 120, tokens_out: 30 } });
  await rollupUsage(app.ctx.db, app.ctx.clock);
  const res = await t.api('GET', '/api/v1/usage');
  assert.is(res.status, 200);
  assert.equal(res.body, {
    data: [
      { date: '2026-03-15', channel_id: null, kind: 'api_call', quantity: 1 },
      { date: '2026-03-15', channel_id: t.channel.id, kind: 'message_in', quantity: 2 },
      { date: '2026-03-16', channel_id: null, kind: 'ai_call', quantity: 1 },
      { date: '2026-03-16', channel_id: null, kind: 'ai_tokens_in', quantity: 120 },
      { date: '2026-03-16', channel_id: null, kind: 'ai_tokens_out', quantity: 30 },
    ],
  });
  assert.equal((await t.api('GET', '/api/v1/usage?from=2026-03-16&to=2026-03-16')).body.data.map((r: { kind: string }) => r.kind), ['ai_call', 'ai_tokens_in', 'ai_tokens_out']);
  assert.equal((await t.api('GET', '/api/v1/usage?from=2026-02-01&to=2026-02-28')).body, { data: [] }, 'zero rows are left out');
});

test('a range over 366 days is 400 range_too_long; bad dates and a reversed range are 400 with the field', async ({ t }) => {
  assert.is((await t.api('GET', '/api/v1/usage?from=2025-01-01&to=2026-01-01')).status, 200, '366 days');
  const long = await t.api('GET', '/api/v1/usage?from=2025-01-01&to=2026-01-02');
  assert.is(long.status, 400);
  assert.is(long.body.error.code, 'range_too_long');
  const bad = await t.api('GET', '/api/v1/usage?from=2026-02-30');
  assert.equal([bad.status, bad.body.error.field], [400, 'from']);
  const reversed = await t.api('GET', '/api/v1/usage?from=2026-03-10&to=2026-03-01');
  assert.equal([reversed.status, reversed.body.error.field], [400, 'to']);
  assert.is((await t.api('GET', '/api/v1/usage?month=2026-03')).body.error.code, 'unknown_field');
});

test('statements: listed newest first, one by number as JSON or CSV, another number is 404', async ({ app, t, clock }) => {
  const plan = await createPlan(app.ctx.db, app.ctx.clock, {
    name: 'Basic', currency: 'KZT', monthlyPriceMinor: 990_000, included: { messages: 1, ai_replies: null, ai_tokens: null, api_calls: null, channels: null },
    overageMinor: { messages: 500, ai_replies: 0, ai_tokens: 0, api_calls: 0, channels: 0 }, onLimit: 'bill',
  }, OP);
  await assignPlan(app.ctx.db, app.ctx.clock, t.client.id, plan.id, '2026-03-01', OP);
  await t.customerSays('one');
  await t.customerSays('two');
  clock.set('2026-03-31T19:30:00.000Z');
  const first = (await issueStatement(app.ctx, t.client.id, { start: '2026-03-01', end: '2026-03-31' }, { by: OP }))!;
  const second = (await issueStatement(app.ctx, t.client.id, { start: '2026-03-01', end: '2026-03-31' }, { corrects: first.number, by: OP }))!;
  const list = await t.api('GET', '/api/v1/statements');
  assert.equal(list.body.data.map((s: { number: string }) => s.number), [second.number, first.number]);
  assert.is(list.body.next_cursor, null);
  const paged = await t.api('GET', '/api/v1/statements?limit=1');
  assert.is(paged.body.next_cursor, second.number);
  assert.equal((await t.api('GET', `/api/v1/statements?limit=1&cursor=${paged.body.next_cursor}`)).body.data.map((s: { number: string }) => s.number), [first.number]);
  const one = await t.api('GET', `/api/v1/statements/${first.number}`);
  assert.is(one.status, 200);
  assert.match(one.body.number, /^2026-\d{5}$/);
  const keys = ['number', 'period_start', 'period_end', 'issued_at', 'currency', 'plan', 'lines', 'total_minor', 'corrects'];
  for (const k of keys) assert.ok(k in one.body, k);
  assert.equal(one.body.lines.find((l: { kind: string }) => l.kind === 'messages'), { kind: 'messages', included: 1, used: 2, overage: 1, unit_price_minor: 500, per: 1, amount_minor: 500 });
  assert.is(one.body.total_minor, 990_500);
  assert.is((await t.api('GET', `/api/v1/statements/${second.number}`)).body.corrects, first.number);
  const csv = await t.api('GET', `/api/v1/statements/${first.number}?format=csv`);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(csv.body, /\r\n2026-00001,2026-03-01,2026-03-31,.*,messages,1,2,1,500,1,500\r\n/);
  assert.is((await t.api('GET', '/api/v1/statements/2026-09999')).status, 404);
});

test.run();
