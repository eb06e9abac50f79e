// Monthly statements: issued once per client and period (a month in the client's time zone),
// numbered YYYY-NNNNN in one sequence per appliance that restarts each year, immutable once
// issued (triggers refuse UPDATE and DELETE), a correction being a new statement that names the
// one it corrects. Money is integers in minor units of the plan's currency; rounding in README.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { newId } from '../lib/ids.ts';
import { conflict, notFound } from '../lib/errors.ts';
import { toCsv } from '../lib/csv.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { enqueueJob } from '../jobs/index.ts';
import { getClient } from '../tenants/index.ts';
import { effectiveBillingDetails, operatorDetails } from './billing-details.ts';
import { DEFAULT_ZONE, localDay, monthOf, addMonths, type Period } from './periods.ts';
import { METRICS, PRICE_UNIT, planOn, type Plan } from './plans.ts';
import { recomputeDays } from './rollup.ts';
import { periodUsage, usedOf, type PeriodUsage } from './usage-queries.ts';

export const STATEMENT_MAIL_JOB = 'billing.statement_mail';

export interface StatementLine {
  /** plan (the monthly price), messages, ai_replies, ai_tokens, api_calls, channels, vat */
  kind: string;
  included: number | null;
  used: number | null;
  overage: number | null;
  /** Price per `per` units (per 1,000 for AI tokens and API calls) */
  unit_price_minor: number | null;
  per: number | null;
  amount_minor: number;
}

/** The whole statement as issued (the API's JSON; the page, the CSV and the e-mail show it). */
export interface Statement {
  number: string;
  period_start: string;
  period_end: string;
  issued_at: string;
  currency: string;
  plan: string | null;
  lines: StatementLine[];
  subtotal_minor: number;
  vat_percent: number;
  total_minor: number;
  corrects: string | null;
  client: { id: string; legal_name: string; bin: string; invoice_address: string };
  operator: { name: string; bin: string; address: string; bank: string };
}

/**
 * The lines of a period: the plan's monthly price, one line per metric (overage = used − included,
 * billed per started unit of `per`: 1,500 tokens over at 1,000 per unit are 2 units), then VAT on the
 * subtotal, rounded half up to a minor unit.
 */
export function statementLines(plan: Plan, usage: PeriodUsage, vatPercent: number): { lines: StatementLine[]; subtotal: number; total: number } {
  const lines: StatementLine[] = [{ kind: 'plan', included: null, used: null, overage: null, unit_price_minor: plan.monthlyPriceMinor, per: null, amount_minor: plan.monthlyPriceMinor }];
  for (const m of METRICS) {
    const used = usedOf(usage, m);
    const included = plan.included[m];
    const overage = included === null ? 0 : Math.max(0, used - included);
    const per = PRICE_UNIT[m];
    lines.push({ kind: m, included, used, overage, unit_price_minor: plan.overageMinor[m], per, amount_minor: Math.ceil(overage / per) * plan.overageMinor[m] });
  }
  const subtotal = lines.reduce((n, l) => n + l.amount_minor, 0);
  const bp = BigInt(Math.round(vatPercent * 100));
  const vat = Number((BigInt(subtotal) * bp + 5000n) / 10000n);
  lines.push({ kind: 'vat', included: null, used: null, overage: null, unit_price_minor: null, per: null, amount_minor: vat });
  return { lines, subtotal, total: subtotal + vat };
}

const toStatement = (r: { document: string }): Statement => JSON.parse(r.document) as Statement;

/** The period a statement issued on `today` (client-local) covers: the month before. */
export const previousMonth = (today: string): Period => monthOf(addMonths(monthOf(today).start, -1));

/**
 * Issues the statement of `period` for a client (recomputing the period's counters first), in
 * one transaction with its number, audit entry and e-mail job. Undefined when no plan is in force
 * at the period's end. `corrects` names an earlier statement of the same client this one replaces.
 */
export async function issueStatement(
  deps: { db: Db; clock: Clock; vault: Vault }, clientId: string, period: Period, opts: { corrects?: string; by: AuditBy },
): Promise<Statement | undefined> {
  const { db, clock } = deps;
  const client = await getClient(db, clientId);
  const tz = client.timezone || DEFAULT_ZONE;
  const plan = await planOn(db, clientId, period.end);
  if (!plan) return undefined;
  await recomputeDays(db, clientId, period.start, period.end, tz);
  const [usage, details, operator] = await Promise.all([periodUsage(db, clientId, period.start, period.end), effectiveBillingDetails(db, clientId), operatorDetails(db, deps.vault)]);
  const { lines, subtotal, total } = statementLines(plan, usage, operator.vatPercent);
  const issuedAt = clock.now().toISOString();
  const year = Number(localDay(issuedAt, tz).slice(0, 4));
  return db.transaction().execute(async (trx) => {
    if (opts.corrects) {
      const old = await trx.selectFrom('statements').select('client_id').where('number', '=', opts.corrects).executeTakeFirst();
      if (!old || old.client_id !== clientId) throw notFound('No such statement');
    } else {
      const existing = await trx.selectFrom('statements').select('number').where('client_id', '=', clientId).where('period_start', '=', period.start).executeTakeFirst();
      if (existing) throw conflict(`Statement ${existing.number} covers this period already; issue a correction instead`, 'statement_exists');
    }
    const last = await trx.selectFrom('statements').select((eb) => eb.fn.max('seq').as('seq')).where('year', '=', year).executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const number = `${year}-${String(seq).padStart(5, '0')}`;
    const s: Statement = {
      number, period_start: period.start, period_end: period.end, issued_at: issuedAt, currency: plan.currency, plan: plan.name, lines,
      subtotal_minor: subtotal, vat_percent: operator.vatPercent, total_minor: total, corrects: opts.corrects ?? null,
      client: { id: clientId, legal_name: details.legalName, bin: details.bin, invoice_address: details.invoiceAddress },
      operator: { name: operator.name, bin: operator.bin, address: operator.address, bank: operator.bank },
    };
    await trx.insertInto('statements').values({
      id: newId(), number, year, seq, client_id: clientId, period_start: period.start, period_end: period.end, issued_at: issuedAt,
      currency: plan.currency, total_minor: total, corrects: s.corrects, document: JSON.stringify(s),
    }).execute();
    await recordAudit(trx, clock, { actor: opts.by, ip: opts.by.ip, action: 'statement.issued', clientId, targetType: 'statement', targetId: number, details: { corrects: s.corrects } });
    await enqueueJob(trx, clock, { kind: STATEMENT_MAIL_JOB, clientId, payload: { number }, idempotencyKey: `statement.mail:${number}`, maxAttempts: 8 });
    return s;
  });
}

/** Issues last month's statement for every client whose month has ended and that has none yet. */
export async function issueDueStatements(deps: { db: Db; clock: Clock; vault: Vault }, clients: Array<{ id: string; timezone: string }>, by: AuditBy): Promise<string[]> {
  const issued: string[] = [];
  for (const c of clients) {
    const period = previousMonth(localDay(deps.clock.now(), c.timezone || DEFAULT_ZONE));
    const has = await deps.db.selectFrom('statements').select('number').where('client_id', '=', c.id).where('period_start', '=', period.start).executeTakeFirst();
    if (has) continue;
    const s = await issueStatement(deps, c.id, period, { by });
    if (s) issued.push(s.number);
  }
  return issued;
}

/** The client's statements, newest first. */
export async function listStatements(db: Db, clientId: string): Promise<Statement[]> {
  const rows = await db.selectFrom('statements').select('document').where('client_id', '=', clientId).orderBy('year', 'desc').orderBy('seq', 'desc').execute();
  return rows.map(toStatement);
}

/** One of the client's statements by number (another client's is not found). */
export async function getStatement(db: Db, clientId: string, number: string): Promise<Statement> {
  const r = await db.selectFrom('statements').select('document').where('number', '=', number).where('client_id', '=', clientId).executeTakeFirst();
  if (!r) throw notFound('No such statement');
  return toStatement(r);
}

/** The statement as CSV: a header block, then one row per line. */
export function statementCsv(s: Statement): string {
  return toCsv(
    ['number', 'period_start', 'period_end', 'issued_at', 'currency', 'plan', 'corrects', 'kind', 'included', 'used', 'overage', 'unit_price_minor', 'per', 'amount_minor'],
    [
      ...s.lines.map((l) => [s.number, s.period_start, s.period_end, s.issued_at, s.currency, s.plan, s.corrects, l.kind, l.included, l.used, l.overage, l.unit_price_minor, l.per, l.amount_minor]),
      [s.number, s.period_start, s.period_end, s.issued_at, s.currency, s.plan, s.corrects, 'total', null, null, null, null, null, s.total_minor],
    ],
  );
}

/** Minor units as text: 150000 KZT → "1 500.00 KZT". */
export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}
