// Reading the daily counters: the rows of `GET /api/v1/usage`, the usage page and CSV, and the
// totals of a period that quotas and statements compare with a plan.
import type { Db } from '../db/index.ts';
import { USAGE_KINDS, type ApiUsageKind } from './rollup.ts';
import type { Metric } from './plans.ts';

export interface UsageRow {
  date: string;
  /** null where the usage has no channel (API calls, AI calls) */
  channelId: string | null;
  kind: ApiUsageKind;
  quantity: number;
}

const kindOrder = (k: string) => USAGE_KINDS.indexOf(k as ApiUsageKind);

/** Non-zero counters of [from, to] (client-local days, inclusive), by day, channel and kind. */
export async function usageRows(db: Db, clientId: string, from: string, to: string): Promise<UsageRow[]> {
  const rows = await db.selectFrom('usage_daily').select(['day', 'channel_account_id', 'kind', 'quantity'])
    .where('client_id', '=', clientId).where('day', '>=', from).where('day', '<=', to).where('quantity', '!=', 0)
    .orderBy('day').orderBy('channel_account_id').execute();
  return rows
    .map((r) => ({ date: r.day, channelId: r.channel_account_id || null, kind: r.kind as ApiUsageKind, quantity: r.quantity }))
    .sort((a, b) => (a.date === b.date ? (a.channelId ?? '').localeCompare(b.channelId ?? '') || kindOrder(a.kind) - kindOrder(b.kind) : a.date < b.date ? -1 : 1));
}

/** What a plan counts, summed over a period. */
export interface PeriodUsage {
  messages: number;
  aiReplies: number;
  aiTokens: number;
  apiCalls: number;
  /** Channel accounts that had messages in the period. */
  channels: number;
  byKind: Record<ApiUsageKind, number>;
}

export async function periodUsage(db: Db, clientId: string, from: string, to: string): Promise<PeriodUsage> {
  const rows = await db.selectFrom('usage_daily').select(['kind', 'channel_account_id', (eb) => eb.fn.sum<number>('quantity').as('n')])
    .where('client_id', '=', clientId).where('day', '>=', from).where('day', '<=', to)
    .groupBy(['kind', 'channel_account_id']).execute();
  const byKind = Object.fromEntries(USAGE_KINDS.map((k) => [k, 0])) as Record<ApiUsageKind, number>;
  const channels = new Set<string>();
  for (const r of rows) {
    if (r.kind in byKind) byKind[r.kind as ApiUsageKind] += Number(r.n);
    if (r.channel_account_id && (r.kind === 'message_in' || r.kind === 'message_out') && Number(r.n) > 0) channels.add(r.channel_account_id);
  }
  return {
    messages: byKind.message_in + byKind.message_out, aiReplies: byKind.ai_call, aiTokens: byKind.ai_tokens_in + byKind.ai_tokens_out,
    apiCalls: byKind.api_call, channels: channels.size, byKind,
  };
}

const USED: Record<Metric, (u: PeriodUsage) => number> = {
  messages: (u) => u.messages, ai_replies: (u) => u.aiReplies, ai_tokens: (u) => u.aiTokens, api_calls: (u) => u.apiCalls, channels: (u) => u.channels,
};
/** How much of a plan's metric the period used. */
export const usedOf = (u: PeriodUsage, m: Metric): number => USED[m](u);

/** All-time counters per client and kind (the operator's /metrics). */
export async function usageTotalsByClient(db: Db): Promise<Array<{ clientId: string; kind: string; quantity: number }>> {
  const rows = await db.selectFrom('usage_daily').select(['client_id', 'kind', (eb) => eb.fn.sum<number>('quantity').as('n')])
    .groupBy(['client_id', 'kind']).orderBy('client_id').execute();
  return rows.map((r) => ({ clientId: r.client_id, kind: r.kind, quantity: Number(r.n) }));
}
