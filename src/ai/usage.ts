// Usage per provider call: one ai_calls row (counts, timing, outcome, estimated cost; never
// text) plus a usage event for billing. And the figures the usage page and AI report show.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { recordUsage } from '../billing/index.ts';
import { firstRepliesByConversation } from '../messaging/index.ts';
import { estimateCostMicros } from './pricing.ts';

export type CallOutcome = 'answered' | 'handoff' | 'no_match' | 'failed' | 'blocked_consent';

export interface AiCall {
  clientId: string;
  conversationId: string | null;
  kind: 'chat' | 'transcription' | 'faq';
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  attempts?: number;
  outcome: CallOutcome;
  errorCode?: string | null;
  costMicros?: number;
  playground?: boolean;
}

/** Records one call (in the caller's transaction when given one). Playground calls are not billed. */
export async function recordAiCall(db: Db, clock: Clock, call: AiCall): Promise<void> {
  const cost = call.costMicros ?? estimateCostMicros(call.provider, call.model, call.tokensIn, call.tokensOut);
  await db.insertInto('ai_calls').values({
    id: newId(clock.now().getTime()), client_id: call.clientId, conversation_id: call.conversationId,
    // The person the call was about (export and erasure find it by them; erasure leaves the count).
    contact_id: call.conversationId ? db.selectFrom('conversations').select('contact_id').where('id', '=', call.conversationId) : null,
    kind: call.kind, provider: call.provider,
    model: call.model, tokens_in: call.tokensIn, tokens_out: call.tokensOut, latency_ms: Math.round(call.latencyMs), attempts: call.attempts ?? 1,
    outcome: call.outcome, error_code: call.errorCode ?? null, cost_micros: cost, playground: call.playground ? 1 : 0, at: clock.now().toISOString(),
  }).execute();
  if (!call.playground && call.kind !== 'faq') {
    await recordUsage(db, clock, {
      clientId: call.clientId, kind: 'ai_call',
      meta: { provider: call.provider, model: call.model, tokens_in: call.tokensIn, tokens_out: call.tokensOut, latency_ms: Math.round(call.latencyMs), outcome: call.outcome, cost_micros: cost, call_kind: call.kind },
    });
  }
}

export interface UsageRow {
  day: string;
  provider: string;
  model: string;
  calls: number;
  failures: number;
  tokensIn: number;
  tokensOut: number;
  costMicros: number;
}

const FAILED = ['failed', 'blocked_consent'];

/** Calls, tokens, failures and cost per day (in `timeZone`) and model, newest day first. */
export async function usageByDay(db: Db, clientId: string, from: string, to: string, timeZone = 'Asia/Almaty'): Promise<UsageRow[]> {
  // Grouped by UTC hour in SQL, then by local day here (zones with half-hour offsets are rare enough to ignore).
  const rows = await db.selectFrom('ai_calls')
    .select([sql<string>`substr(at, 1, 13)`.as('hour'), 'provider', 'model', 'outcome',
      (eb) => eb.fn.countAll<number>().as('calls'), (eb) => eb.fn.sum<number>('tokens_in').as('tin'),
      (eb) => eb.fn.sum<number>('tokens_out').as('tout'), (eb) => eb.fn.sum<number>('cost_micros').as('cost')])
    .where('client_id', '=', clientId).where('at', '>=', from).where('at', '<', to).where('playground', '=', 0).where('kind', '!=', 'faq')
    .groupBy([sql`substr(at, 1, 13)`, 'provider', 'model', 'outcome']).execute();
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const out = new Map<string, UsageRow>();
  for (const r of rows) {
    const day = dayOf.format(new Date(`${r.hour}:00:00.000Z`));
    const key = `${day}|${r.provider}|${r.model}`;
    const row = out.get(key) ?? { day, provider: r.provider, model: r.model, calls: 0, failures: 0, tokensIn: 0, tokensOut: 0, costMicros: 0 };
    row.calls += Number(r.calls);
    if (FAILED.includes(r.outcome)) row.failures += Number(r.calls);
    row.tokensIn += Number(r.tin ?? 0);
    row.tokensOut += Number(r.tout ?? 0);
    row.costMicros += Number(r.cost ?? 0);
    out.set(key, row);
  }
  return [...out.values()].sort((a, b) => (a.day === b.day ? a.model.localeCompare(b.model) : a.day < b.day ? 1 : -1));
}

export interface Percentiles {
  n: number;
  p50Ms: number | null;
  p90Ms: number | null;
}

export interface AiReport {
  conversations: number;
  aiAlone: number;
  handedOff: number;
  handoffReasons: Record<string, number>;
  firstResponseAi: Percentiles;
  firstResponseHuman: Percentiles;
}

function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null);
  return { n: s.length, p50Ms: at(0.5), p90Ms: at(0.9) };
}

/**
 * The AI report for conversations that had customer messages in [from, to): answered by the AI
 * alone vs handed off to a person, how fast the AI answered first, and how fast a person (an agent
 * or an admin replying in the inbox or through the API) first replied.
 */
export async function aiReport(db: Db, clientId: string, from: string, to: string): Promise<AiReport> {
  const [rows, handoffs] = await Promise.all([
    firstRepliesByConversation(db, clientId, from, to),
    db.selectFrom('ai_conversations').select(['conversation_id', 'handoff_reason', 'handed_off_at'])
      .where('client_id', '=', clientId).where('handed_off_at', 'is not', null).execute(),
  ]);
  const handoffOf = new Map(handoffs.map((h) => [h.conversation_id, h]));
  const report: AiReport = { conversations: 0, aiAlone: 0, handedOff: 0, handoffReasons: {}, firstResponseAi: percentiles([]), firstResponseHuman: percentiles([]) };
  const ai: number[] = [];
  const human: number[] = [];
  for (const r of rows) {
    if (!r.firstIn) continue;
    report.conversations++;
    const h = handoffOf.get(r.conversationId);
    if (h?.handed_off_at) {
      report.handedOff++;
      const reason = h.handoff_reason ?? 'other';
      report.handoffReasons[reason] = (report.handoffReasons[reason] ?? 0) + 1;
    } else if (r.firstAi && !r.firstAgent) report.aiAlone++;
    const t0 = Date.parse(r.firstIn);
    const firstAi = r.firstAi && r.firstAi >= r.firstIn ? Date.parse(r.firstAi) : null;
    const firstAgent = r.firstAgent && r.firstAgent >= r.firstIn ? Date.parse(r.firstAgent) : null;
    // The AI's counts when it answered before any person; a person's first reply counts whenever
    // it came (also after the AI answered or handed over), from the customer's first message.
    if (firstAi !== null && (firstAgent === null || firstAi <= firstAgent)) ai.push(firstAi - t0);
    if (firstAgent !== null) human.push(firstAgent - t0);
  }
  report.firstResponseAi = percentiles(ai);
  report.firstResponseHuman = percentiles(human);
  return report;
}
