// Quotas: a plan's included amounts against this period's usage. At 80 % and 100 % the owners
// are told once per period (a banner while it lasts, and an e-mail); past 100 % a `stop_ai`
// plan stops the AI's replies (messages still flow and people still answer) until the next
// period or a plan with more included.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob } from '../jobs/index.ts';
import { getClient } from '../tenants/index.ts';
import { DEFAULT_ZONE, localDay, monthOf } from './periods.ts';
import { METRICS, planOn, type Metric, type Plan } from './plans.ts';
import { periodUsage, usedOf, type PeriodUsage } from './usage-queries.ts';

export const QUOTA_MAIL_JOB = 'billing.quota_mail';
export const THRESHOLDS = [80, 100] as const;
/** The metrics whose limit stops AI replies on a stop_ai plan. */
const AI_METRICS: Metric[] = ['messages', 'ai_replies', 'ai_tokens'];

export interface QuotaLine {
  metric: Metric;
  included: number;
  used: number;
  /** Whole percent used (may pass 100) */
  percent: number;
}

export interface QuotaStatus {
  plan: Plan | undefined;
  periodStart: string;
  periodEnd: string;
  usage: PeriodUsage;
  lines: QuotaLine[];
  /** Whether AI replies are stopped now (a stop_ai plan past an included amount of messages, AI replies or tokens). */
  aiStopped: boolean;
}

/** The client's quotas in the current period (client-local month). */
export async function quotaStatus(db: Db, clock: Clock, clientId: string, timeZone?: string): Promise<QuotaStatus> {
  const tz = timeZone ?? ((await getClient(db, clientId)).timezone || DEFAULT_ZONE);
  const today = localDay(clock.now(), tz);
  const period = monthOf(today);
  const plan = await planOn(db, clientId, today);
  const usage = await periodUsage(db, clientId, period.start, period.end);
  const lines: QuotaLine[] = [];
  for (const m of METRICS) {
    const included = plan?.included[m];
    if (included === null || included === undefined) continue;
    const used = usedOf(usage, m);
    lines.push({ metric: m, included, used, percent: included === 0 ? (used > 0 ? 100 : 0) : Math.floor((used * 100) / included) });
  }
  const aiStopped = plan?.onLimit === 'stop_ai' && lines.some((l) => AI_METRICS.includes(l.metric) && l.used >= l.included);
  return { plan, periodStart: period.start, periodEnd: period.end, usage, lines, aiStopped };
}

/** Whether the plan stops the AI's replies for this client now (the AI room asks before answering). */
export async function aiQuotaReached(db: Db, clock: Clock, clientId: string): Promise<boolean> {
  const has = await db.selectFrom('billing_plan_assignments').select('id').where('client_id', '=', clientId).limit(1).executeTakeFirst();
  if (!has) return false; // no plan ever: nothing to stop (the common on-prem case costs one indexed lookup)
  return (await quotaStatus(db, clock, clientId)).aiStopped;
}

/** What the banner on the client's pages says: metrics at 80 % or more this period. */
export async function quotaAlerts(db: Db, clock: Clock, clientId: string): Promise<Array<QuotaLine & { aiStopped: boolean }>> {
  const has = await db.selectFrom('billing_plan_assignments').select('id').where('client_id', '=', clientId).limit(1).executeTakeFirst();
  if (!has) return [];
  const s = await quotaStatus(db, clock, clientId);
  return s.lines.filter((l) => l.percent >= 80).map((l) => ({ ...l, aiStopped: s.aiStopped && AI_METRICS.includes(l.metric) && l.used >= l.included }));
}

/**
 * Records each threshold newly crossed this period (once per client, period, metric and
 * threshold) and queues the owners' e-mail with it. Returns the notices recorded.
 */
export async function checkQuotas(db: Db, clock: Clock, clients: Array<{ id: string; timezone: string }>): Promise<Array<{ clientId: string; metric: Metric; threshold: number }>> {
  const out: Array<{ clientId: string; metric: Metric; threshold: number }> = [];
  const planned = new Set((await db.selectFrom('billing_plan_assignments').select('client_id').distinct().execute()).map((r) => r.client_id));
  for (const c of clients) {
    if (!planned.has(c.id)) continue;
    const s = await quotaStatus(db, clock, c.id, c.timezone || DEFAULT_ZONE);
    for (const l of s.lines) {
      for (const threshold of THRESHOLDS) {
        if (l.percent < threshold) continue;
        await db.transaction().execute(async (trx) => {
          const r = await trx.insertInto('billing_quota_notices').values({ client_id: c.id, period_start: s.periodStart, metric: l.metric, threshold, at: clock.now().toISOString() })
            .onConflict((oc) => oc.doNothing()).executeTakeFirst();
          if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return;
          out.push({ clientId: c.id, metric: l.metric, threshold });
          await enqueueJob(trx, clock, {
            kind: QUOTA_MAIL_JOB, clientId: c.id, payload: { metric: l.metric, threshold, used: l.used, included: l.included, stopsAi: threshold === 100 && s.plan?.onLimit === 'stop_ai' && AI_METRICS.includes(l.metric) },
            idempotencyKey: `quota:${c.id}:${s.periodStart}:${l.metric}:${threshold}`, maxAttempts: 8,
          });
        });
      }
    }
  }
  return out;
}
