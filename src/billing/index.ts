// The billing room: usage events, their daily rollups, plans and quotas, monthly statements.
export { recordUsage, usageTotals, type UsageEvent, type UsageKind } from './usage-events.ts';
export { rollupUsage, recomputeDays, USAGE_KINDS, type ApiUsageKind } from './rollup.ts';
export { usageRows, periodUsage, usageTotalsByClient, type UsageRow, type PeriodUsage } from './usage-queries.ts';
export { localDay, addDays, daysBetween, monthOf, addMonths, isDay, dayBounds, DEFAULT_ZONE, type Period } from './periods.ts';
export { listPlans, getPlan, createPlan, updatePlan, assignPlan, planOn, planHistory, METRICS, PRICE_UNIT, ON_LIMIT, type Plan, type PlanInput, type Metric } from './plans.ts';
export {
  getBillingDetails, effectiveBillingDetails, updateBillingDetails, billingDetailsProblems, operatorDetails, type BillingDetails, type OperatorDetails,
} from './billing-details.ts';
export { quotaStatus, quotaAlerts, aiQuotaReached, checkQuotas, THRESHOLDS, type QuotaStatus, type QuotaLine } from './quotas.ts';
export {
  issueStatement, issueDueStatements, listStatements, getStatement, statementCsv, statementLines, formatMoney, previousMonth,
  type Statement, type StatementLine,
} from './statements.ts';
export {
  rollupHandler, statementsHandler, statementMailHandler, quotaMailHandler, BILLING_ROLLUP_KIND, BILLING_ROLLUP_EVERY_MS, BILLING_STATEMENTS_KIND,
  BILLING_STATEMENTS_EVERY_MS, type BillingDeps,
} from './billing-jobs.ts';
