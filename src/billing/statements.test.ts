import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { startSmtpStandIn, mailText, mailSubject, englishRuns, type SmtpStandIn } from '../testing/smtp-stand-in.ts';
import type { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { createClient, type Client } from '../tenants/index.ts';
import {
  assignPlan, createPlan, getStatement, issueDueStatements, issueStatement, listStatements, recordUsage, statementCsv, updateBillingDetails, type PlanInput,
} from './index.ts';

// Monthly statements: numbered per appliance and year, immutable, corrected by a new one that
// names the old, e-mailed when issued, with the operator's details and VAT.

type Ctx = { app: TestApp; clock: ManualClock; smtp: SmtpStandIn; a: Client; b: Client };
const test = suite<Ctx>('monthly statements');
const OP = { id: null, label: 'test' };

const PLAN: PlanInput = {
  name: 'Business', currency: 'KZT', monthlyPriceMinor: 1_500_000,
  included: { messages: 3, ai_replies: null, ai_tokens: 1000, api_calls: null, channels: 5 },
  overageMinor: { messages: 1_000, ai_replies: 0, ai_tokens: 50_000, api_calls: 0, channels: 0 },
  onLimit: 'bill',
};

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.clock = ctx.app.clock as ManualClock;
  ctx.clock.set('2026-03-10T06:00:00.000Z');
  ctx.smtp = await startSmtpStandIn();
  const { db, vault, clock } = ctx.app.ctx;
  const set = (k: string, v: string) => setSetting(db, vault, clock, k, v);
  await set('smtp.host', '127.0.0.1');
  await set('smtp.port', String(ctx.smtp.port));
  await set('smtp.secure', 'false');
  await set('smtp.from', 'billing@operator.kz');
  await set('billing.operator_name', 'ТОО Оператор');
  await set('billing.operator_bin', '123456789012');
  await set('billing.vat_percent', '12');
  ctx.a = await createClient(db, clock, { slug: 'alpha', name: 'Alpha', contactEmail: 'owner@alpha.kz', invoiceAddress: 'Almaty, Abay 1' });
  ctx.b = await createClient(db, clock, { slug: 'beta', name: 'Beta', contactEmail: 'owner@beta.kz' });
  const plan = await createPlan(db, clock, PLAN, OP);
  await assignPlan(db, clock, ctx.a.id, plan.id, '2026-03-01', OP);
  await assignPlan(db, clock, ctx.b.id, plan.id, '2026-03-01', OP);
});
test.after.each(async (ctx) => {
  await ctx.smtp.close();
  await ctx.app.cleanup();
});

const use = async (ctx: Ctx, clientId: string, at: string, kind: string, n = 1, meta: Record<string, unknown> = {}) => {
  ctx.clock.set(at);
  for (let i = 0; i < n; i++) await recordUsage(ctx.app.ctx.db, ctx.app.ctx.clock, { clientId, kind, channelAccountId: kind.endsWith('message') ? 'ch-1' : null, meta });
};
const monthEnd = (ctx: Ctx) => ctx.clock.set('2026-03-31T19:30:00.000Z'); // 00:30 on 1 April in Almaty
const issueAll = (ctx: Ctx) => issueDueStatements(ctx.app.ctx, [ctx.a, ctx.b], OP);

test('on the 1st (Almaty) each client gets last month’s statement: plan, overage, VAT, total, numbers in sequence', async (ctx) => {
  await use(ctx, ctx.a.id, '2026-03-05T10:00:00.000Z', 'inbound_message', 4);
  await use(ctx, ctx.a.id, '2026-03-05T10:00:00.000Z', 'outbound_message', 1);
  await use(ctx, ctx.a.id, '2026-03-31T18:59:59.000Z', 'ai_call', 1, { tokens_in: 1200, tokens_out: 301 }); // 23:59:59 on 31 March in Almaty
  await use(ctx, ctx.a.id, '2026-03-31T19:00:00.000Z', 'inbound_message', 50); // 1 April already: next month
  ctx.clock.set('2026-03-31T18:30:00.000Z');
  assert.equal(await issueAll(ctx), [], 'not before the month has ended in the client’s zone (February had no plan)');
  monthEnd(ctx);
  assert.equal(await issueAll(ctx), ['2026-00001', '2026-00002']);
  assert.equal(await issueAll(ctx), [], 'once per client and period');
  const s = await getStatement(ctx.app.ctx.db, ctx.a.id, '2026-00001');
  assert.is(s.period_start, '2026-03-01');
  assert.is(s.period_end, '2026-03-31');
  const line = (k: string) => s.lines.find((l) => l.kind === k)!;
  assert.equal(line('messages'), { kind: 'messages', included: 3, used: 5, overage: 2, unit_price_minor: 1_000, per: 1, amount_minor: 2_000 });
  // 1,501 tokens, 1,000 included: 501 over, billed per started thousand.
  assert.equal(line('ai_tokens'), { kind: 'ai_tokens', included: 1000, used: 1501, overage: 501, unit_price_minor: 50_000, per: 1000, amount_minor: 50_000 });
  assert.is(s.subtotal_minor, 1_500_000 + 2_000 + 50_000);
  assert.is(line('vat').amount_minor, 186_240); // 12 % of 1,552,000
  assert.is(s.total_minor, 1_552_000 + 186_240);
  assert.is(s.operator.name, 'ТОО Оператор');
  assert.equal(s.client, { id: ctx.a.id, legal_name: 'Alpha', bin: '', invoice_address: 'Almaty, Abay 1' });
  assert.match(statementCsv(s), /^number,period_start,.*\r\n2026-00001,2026-03-01,2026-03-31,.*,plan,/);
});

test('an issued statement cannot be changed or deleted, even in SQL', async (ctx) => {
  monthEnd(ctx);
  await issueAll(ctx);
  const sqlite = ctx.app.ctx.sqlite;
  assert.throws(() => sqlite.prepare("UPDATE statements SET total_minor = 0 WHERE number = '2026-00001'").run(), /immutable/);
  assert.throws(() => sqlite.prepare("DELETE FROM statements WHERE number = '2026-00001'").run(), /immutable/);
  assert.is((await getStatement(ctx.app.ctx.db, ctx.a.id, '2026-00001')).total_minor, 1_680_000);
});

test('a correction is a new statement that names the one it corrects; the old one stays as it was', async (ctx) => {
  monthEnd(ctx);
  await issueAll(ctx);
  const old = await getStatement(ctx.app.ctx.db, ctx.a.id, '2026-00001');
  await use(ctx, ctx.a.id, '2026-03-20T10:00:00.000Z', 'inbound_message', 10); // late usage of March
  monthEnd(ctx);
  await updateBillingDetails(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.a.id, { legalName: 'ТОО Альфа', bin: '987654321098', invoiceAddress: '', email: '' }, OP);
  const fixed = (await issueStatement(ctx.app.ctx, ctx.a.id, { start: '2026-03-01', end: '2026-03-31' }, { corrects: '2026-00001', by: OP }))!;
  assert.is(fixed.number, '2026-00003');
  assert.is(fixed.corrects, '2026-00001');
  assert.is(fixed.lines.find((l) => l.kind === 'messages')!.used, 10);
  assert.is(fixed.client.bin, '987654321098');
  assert.equal(await getStatement(ctx.app.ctx.db, ctx.a.id, '2026-00001'), old);
  assert.equal((await listStatements(ctx.app.ctx.db, ctx.a.id)).map((s) => s.number), ['2026-00003', '2026-00001']);
});

test('numbers restart each year and never repeat', async (ctx) => {
  monthEnd(ctx);
  await issueAll(ctx);
  ctx.clock.set('2026-12-31T19:30:00.000Z'); // 1 January 2027 in Almaty: December's statements
  assert.equal(await issueAll(ctx), ['2027-00001', '2027-00002']);
  const numbers = ctx.app.ctx.sqlite.prepare('SELECT number FROM statements ORDER BY issued_at, seq').all() as Array<{ number: string }>;
  assert.equal(numbers.map((r) => r.number), ['2026-00001', '2026-00002', '2027-00001', '2027-00002']);
});

test('an issued statement is e-mailed to the client’s billing address, with its total and a link, in the install’s language (ru by default)', async (ctx) => {
  await updateBillingDetails(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.a.id, { legalName: '', bin: '', invoiceAddress: '', email: 'accounts@alpha.kz' }, OP);
  monthEnd(ctx);
  await issueAll(ctx);
  await ctx.app.ctx.jobs.drain();
  const mail = await ctx.smtp.waitFor('accounts@alpha.kz');
  const text = mailText(mail);
  assert.match(mailSubject(mail), /^\[Habar\] Выписка 2026-00001: 2026-03-01 – 2026-03-31$/);
  assert.match(text, /^ {2}Абонентская плата: 15 000\.00 KZT$/m);
  assert.match(text, /^ {2}НДС: /m);
  assert.match(text, /Итого: 16 800\.00 KZT/);
  assert.match(text, /ТОО Оператор, БИН 123456789012/);
  assert.match(text, /\/clients\/alpha\/statements\/2026-00001/);
  assert.equal(englishRuns(`${mailSubject(mail)}\n${text}`), [], 'no English sentence');
  assert.ok(ctx.smtp.messages.some((m) => m.to.includes('owner@beta.kz')), 'without billing details, the contact e-mail');
});

test('with Kazakh as the install’s language the statement e-mail is in Kazakh; in English with English', async (ctx) => {
  const { db, vault, clock } = ctx.app.ctx;
  await setSetting(db, vault, clock, 'ui.default_language', 'kk');
  monthEnd(ctx);
  await issueDueStatements(ctx.app.ctx, [ctx.a], OP);
  await ctx.app.ctx.jobs.drain();
  const kk = await ctx.smtp.waitFor('owner@alpha.kz');
  assert.match(mailSubject(kk), /^\[Habar\] Үзінді 2026-00001: /);
  assert.match(mailText(kk), /Барлығы: 16 800\.00 KZT/);
  assert.match(mailText(kk), /ТОО Оператор, БСН 123456789012/);
  assert.equal(englishRuns(`${mailSubject(kk)}\n${mailText(kk)}`), [], 'no English sentence');
  await setSetting(db, vault, clock, 'ui.default_language', 'en');
  await issueDueStatements(ctx.app.ctx, [ctx.b], OP);
  await ctx.app.ctx.jobs.drain();
  const en = await ctx.smtp.waitFor('owner@beta.kz');
  assert.match(mailSubject(en), /^\[Habar\] Statement 2026-00002: /);
  assert.match(mailText(en), /Total: 16 800\.00 KZT/);
});

test('a client with no plan gets no statement but keeps its usage', async (ctx) => {
  const c = await createClient(ctx.app.ctx.db, ctx.app.ctx.clock, { slug: 'onprem', name: 'On-prem' });
  await use(ctx, c.id, '2026-03-05T10:00:00.000Z', 'inbound_message', 2);
  monthEnd(ctx);
  assert.equal(await issueDueStatements(ctx.app.ctx, [c], OP), []);
});

test('billing details refuse a payment card number with a clear message; a BIN and a phone number pass', async (ctx) => {
  const save = (d: Partial<{ legalName: string; bin: string; invoiceAddress: string; email: string }>) =>
    updateBillingDetails(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.a.id, { legalName: '', bin: '', invoiceAddress: '', email: '', ...d }, OP);
  for (const card of ['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005']) {
    try {
      await save({ invoiceAddress: `Pay by ${card}` });
      assert.unreachable(`${card} was stored`);
    } catch (err) {
      assert.is((err as { code: string }).code, 'card_number');
      assert.is((err as { field: string }).field, 'invoice_address');
      assert.match((err as Error).message, /card number/);
    }
  }
  await save({ bin: '123456789012', invoiceAddress: 'Almaty, tel. +7 701 234 56 78, 4111 1111 1111 1112' });
  const row = await ctx.app.ctx.db.selectFrom('billing_details').selectAll().where('client_id', '=', ctx.a.id).executeTakeFirstOrThrow();
  assert.is(row.bin, '123456789012');
});

test.run();
