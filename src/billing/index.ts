// The billing room: usage events now; rollups and invoices build on them.
export { recordUsage, usageTotals, type UsageEvent, type UsageKind } from './usage-events.ts';
