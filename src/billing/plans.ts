// Plans the operator defines and assigns to clients from a start date. A client with no plan
// (an on-prem install, say) still sees its usage; it has no quotas and no statement lines to bill.
import type { Selectable } from 'kysely';
import type { BillingPlansTable, Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { charLength } from '../lib/text.ts';
import { refuseCardNumber } from '../lib/card-number.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { isDay } from './periods.ts';

/** What a plan meters; each has an included amount (null: unlimited) and an overage price. */
export const METRICS = ['messages', 'ai_replies', 'ai_tokens', 'api_calls', 'channels'] as const;
export type Metric = (typeof METRICS)[number];
/** Overage is priced per this many units (AI tokens and API calls per started thousand). */
export const PRICE_UNIT: Record<Metric, number> = { messages: 1, ai_replies: 1, ai_tokens: 1000, api_calls: 1000, channels: 1 };
export const ON_LIMIT = ['bill', 'stop_ai'] as const;

export interface Plan {
  id: string;
  name: string;
  currency: string;
  monthlyPriceMinor: number;
  included: Record<Metric, number | null>;
  overageMinor: Record<Metric, number>;
  /** Past an included amount: bill the overage, or stop AI replies until the next period or an upgrade. */
  onLimit: (typeof ON_LIMIT)[number];
  createdAt: string;
  updatedAt: string;
}

export type PlanInput = Omit<Plan, 'id' | 'createdAt' | 'updatedAt'>;

function toPlan(r: Selectable<BillingPlansTable>): Plan {
  return {
    id: r.id, name: r.name, currency: r.currency, monthlyPriceMinor: r.monthly_price_minor,
    included: { messages: r.included_messages, ai_replies: r.included_ai_replies, ai_tokens: r.included_ai_tokens, api_calls: r.included_api_calls, channels: r.included_channels },
    overageMinor: { messages: r.overage_message_minor, ai_replies: r.overage_ai_reply_minor, ai_tokens: r.overage_ai_tokens_minor, api_calls: r.overage_api_calls_minor, channels: r.overage_channel_minor },
    onLimit: r.on_limit as Plan['onLimit'], createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

const MAX_AMOUNT = 1e12;
function validatePlan(p: PlanInput): void {
  if (!p.name?.trim() || charLength(p.name) > 100) throw badRequest('Enter the plan’s name (at most 100 characters)', 'name');
  refuseCardNumber(p.name, 'name');
  if (!/^[A-Z]{3}$/.test(p.currency)) throw badRequest('The currency is a three-letter code such as KZT', 'currency');
  const whole = (n: number | null, field: string, nullable: boolean) => {
    if (n === null && nullable) return;
    if (n === null || !Number.isInteger(n) || n < 0 || n > MAX_AMOUNT) throw badRequest('Enter a whole number, 0 or more', field);
  };
  whole(p.monthlyPriceMinor, 'monthly_price_minor', false);
  for (const m of METRICS) {
    whole(p.included[m], `included_${m}`, true);
    whole(p.overageMinor[m], `overage_${m}_minor`, false);
  }
  if (!ON_LIMIT.includes(p.onLimit)) throw badRequest('Choose bill or stop_ai', 'on_limit');
}

const columns = (p: PlanInput) => ({
  name: p.name.trim(), currency: p.currency, monthly_price_minor: p.monthlyPriceMinor,
  included_messages: p.included.messages, included_ai_replies: p.included.ai_replies, included_ai_tokens: p.included.ai_tokens,
  included_api_calls: p.included.api_calls, included_channels: p.included.channels,
  overage_message_minor: p.overageMinor.messages, overage_ai_reply_minor: p.overageMinor.ai_replies, overage_ai_tokens_minor: p.overageMinor.ai_tokens,
  overage_api_calls_minor: p.overageMinor.api_calls, overage_channel_minor: p.overageMinor.channels, on_limit: p.onLimit,
});

export async function listPlans(db: Db): Promise<Plan[]> {
  return (await db.selectFrom('billing_plans').selectAll().orderBy('name').execute()).map(toPlan);
}

export async function getPlan(db: Db, id: string): Promise<Plan> {
  const r = await db.selectFrom('billing_plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('No such plan');
  return toPlan(r);
}

/** Creates a plan (audited). */
export async function createPlan(db: Db, clock: Clock, input: PlanInput, by: AuditBy): Promise<Plan> {
  validatePlan(input);
  const now = clock.now().toISOString();
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('billing_plans').values({ id, ...columns(input), created_at: now, updated_at: now }).execute();
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'billing_plan.created', targetType: 'billing_plan', targetId: id, details: { name: input.name } });
  });
  return getPlan(db, id);
}

/** Changes a plan (audited). Statements already issued keep what they say. */
export async function updatePlan(db: Db, clock: Clock, id: string, input: PlanInput, by: AuditBy): Promise<Plan> {
  await getPlan(db, id);
  validatePlan(input);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('billing_plans').set({ ...columns(input), updated_at: clock.now().toISOString() }).where('id', '=', id).execute();
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'billing_plan.updated', targetType: 'billing_plan', targetId: id, details: { name: input.name } });
  });
  return getPlan(db, id);
}

/** Puts a client on a plan (or on none: `planId` null) from a client-local day on (audited). */
export async function assignPlan(db: Db, clock: Clock, clientId: string, planId: string | null, startsOn: string, by: AuditBy): Promise<void> {
  if (!isDay(startsOn)) throw badRequest('Enter the start date as YYYY-MM-DD', 'starts_on');
  if (planId) await getPlan(db, planId);
  await db.transaction().execute(async (trx) => {
    // One assignment per start day: a second one that day replaces the first.
    await trx.deleteFrom('billing_plan_assignments').where('client_id', '=', clientId).where('starts_on', '=', startsOn).execute();
    await trx.insertInto('billing_plan_assignments').values({ id: newId(), client_id: clientId, plan_id: planId, starts_on: startsOn, created_at: clock.now().toISOString() }).execute();
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'billing_plan.assigned', clientId, targetType: 'billing_plan', targetId: planId ?? '', details: { starts_on: startsOn } });
  });
}

/** The plan in force on a client-local day (undefined: none). */
export async function planOn(db: Db, clientId: string, day: string): Promise<Plan | undefined> {
  const a = await db.selectFrom('billing_plan_assignments').select('plan_id').where('client_id', '=', clientId).where('starts_on', '<=', day)
    .orderBy('starts_on', 'desc').limit(1).executeTakeFirst();
  return a?.plan_id ? getPlan(db, a.plan_id) : undefined;
}

/** The client's assignments, newest start first. */
export async function planHistory(db: Db, clientId: string): Promise<Array<{ startsOn: string; planId: string | null; planName: string | null }>> {
  const rows = await db.selectFrom('billing_plan_assignments').leftJoin('billing_plans', 'billing_plans.id', 'billing_plan_assignments.plan_id')
    .select(['billing_plan_assignments.starts_on', 'billing_plan_assignments.plan_id', 'billing_plans.name'])
    .where('billing_plan_assignments.client_id', '=', clientId).orderBy('billing_plan_assignments.starts_on', 'desc').execute();
  return rows.map((r) => ({ startsOn: r.starts_on, planId: r.plan_id, planName: r.name }));
}
