import { z } from 'zod';
import { daysBetween, getStatement, isDay, listStatements, localDay, monthOf, statementCsv, usageRows, USAGE_KINDS, type Statement } from '../../../billing/index.ts';
import { getClient } from '../../../tenants/index.ts';
import { AppError, badRequest } from '../../../lib/errors.ts';
import { named } from './openapi-builder.ts';
import { apiClientId } from './api-env.ts';
import { PageQuery, page, pathId, readQuery } from './validation.ts';
import { time } from './representation.ts';
import type { ApiRoute } from './api-route.ts';

const Day = z.string().describe('A calendar day in the client’s time zone, YYYY-MM-DD');

export const UsageQuery = z.object({
  from: Day.optional().describe('First day (default: the first day of this month, client-local)'),
  to: Day.optional().describe('Last day, inclusive (default: the last day of this month); at most 366 days after from'),
}).strict();

const UsageRowSchema = named('UsageRow', z.object({
  date: Day,
  channel_id: z.string().nullable().describe('The channel account; null for usage without one (AI calls, API calls)'),
  kind: z.enum(USAGE_KINDS).describe('message_in, message_out, ai_call, ai_tokens_in, ai_tokens_out or api_call'),
  quantity: z.number().int().describe('Never 0: rows with nothing are left out'),
}));

const LineSchema = named('StatementLine', z.object({
  kind: z.string().describe('plan (the monthly price), messages, ai_replies, ai_tokens, api_calls, channels, vat'),
  included: z.number().int().nullable().describe('Included in the plan; null: unlimited, or not a metered line'),
  used: z.number().int().nullable(),
  overage: z.number().int().nullable().describe('used − included, never below 0'),
  unit_price_minor: z.number().int().nullable().describe('Price per `per` units in minor units of the currency'),
  per: z.number().int().nullable().describe('Units the unit price is for (1,000 for AI tokens and API calls; each started unit is billed)'),
  amount_minor: z.number().int(),
}));

export const StatementSchema = named('Statement', z.object({
  number: z.string().describe('YYYY-NNNNN: sequential per appliance, restarting each year'),
  period_start: Day,
  period_end: Day.describe('Last day of the period, inclusive'),
  issued_at: time(),
  currency: z.string().describe('ISO 4217 code of the plan, e.g. KZT'),
  plan: z.string().nullable().describe('The plan’s name'),
  lines: z.array(LineSchema),
  subtotal_minor: z.number().int(),
  vat_percent: z.number().describe('The VAT rate the operator set'),
  total_minor: z.number().int().describe('Sum of the lines, VAT included'),
  corrects: z.string().nullable().describe('The number of the statement this one corrects (statements are never changed)'),
  client: z.object({ id: z.string(), legal_name: z.string(), bin: z.string(), invoice_address: z.string() }),
  operator: z.object({ name: z.string(), bin: z.string(), address: z.string(), bank: z.string() }),
}), 'An issued statement (immutable)');

const StatementQuery = z.object({ format: z.enum(['json', 'csv']).default('json').describe('json (default) or csv') }).strict();

const STATEMENT_NUMBER = /^\d{4}-\d{5}$/;

function readRange(c: Parameters<ApiRoute['handler']>[0], nowDay: string): { from: string; to: string } {
  const q = readQuery(c, UsageQuery);
  for (const f of ['from', 'to'] as const) if (q[f] !== undefined && !isDay(q[f]!)) throw badRequest(`${f} must be a date YYYY-MM-DD`, f);
  const month = monthOf(nowDay);
  const from = q.from ?? (q.to ? monthOf(q.to).start : month.start);
  const to = q.to ?? (q.from ? monthOf(q.from).end : month.end);
  if (to < from) throw badRequest('to must not be before from', 'to');
  if (daysBetween(from, to) > 366) throw new AppError('range_too_long', 'At most 366 days at once: ask for a shorter range', 400, true, 'to');
  return { from, to };
}

const statementJson = (s: Statement) => s;

export const billingRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/usage', operationId: 'getUsage', tag: 'Usage and statements', summary: 'Daily usage by channel and kind',
    description: 'Counters per client-local day, channel and kind for [from, to] (to inclusive; both default to this month). No cursor; rows with nothing are left out. Today’s counts are at most a few minutes behind.',
    query: UsageQuery,
    responses: { 200: { description: 'The counters, oldest day first', schema: z.object({ data: z.array(UsageRowSchema) }) } },
    async handler(c) {
      const ctx = c.get('ctx');
      const client = await getClient(ctx.db, apiClientId(c));
      const { from, to } = readRange(c, localDay(ctx.clock.now(), client.timezone));
      const rows = await usageRows(ctx.db, client.id, from, to);
      return c.json({ data: rows.map((r) => ({ date: r.date, channel_id: r.channelId, kind: r.kind, quantity: r.quantity })) });
    },
  },
  {
    method: 'get', path: '/api/v1/statements', operationId: 'listStatements', tag: 'Usage and statements', summary: 'The client’s statements, newest first',
    query: PageQuery, responses: { 200: { description: 'A page of statements', schema: z.object({ data: z.array(StatementSchema), next_cursor: z.string().nullable() }) } },
    async handler(c) {
      const q = readQuery(c, PageQuery);
      if (q.cursor !== undefined && !STATEMENT_NUMBER.test(q.cursor)) throw badRequest('Invalid cursor: pass the next_cursor of the previous page unchanged', 'cursor', 'invalid_cursor');
      const all = await listStatements(c.get('ctx').db, apiClientId(c));
      const after = q.cursor ? all.filter((s) => s.number < q.cursor!) : all;
      return c.json(page(after.slice(0, q.limit + 1), q.limit, statementJson, (s) => s.number));
    },
  },
  {
    method: 'get', path: '/api/v1/statements/{number}', operationId: 'getStatement', tag: 'Usage and statements', summary: 'One statement (JSON, or CSV with ?format=csv)',
    query: StatementQuery,
    responses: { 200: { description: 'The statement', schema: StatementSchema, alsoCsv: true } },
    async handler(c) {
      const ctx = c.get('ctx');
      const s = await getStatement(ctx.db, apiClientId(c), pathId(c, 'number'));
      const q = readQuery(c, StatementQuery);
      if (q.format === 'csv') {
        return c.body(statementCsv(s), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="statement-${s.number}.csv"` });
      }
      return c.json(statementJson(s));
    },
  },
];
