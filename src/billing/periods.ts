// Billing periods are calendar months in the client's time zone (Asia/Almaty by default): a
// day is a client-local date (YYYY-MM-DD), a month starts at local midnight of its first day.
import { startOfDayInZone } from '../lib/zoned-time.ts';

export const DEFAULT_ZONE = 'Asia/Almaty';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The client-local date (YYYY-MM-DD) of an instant. */
export function localDay(at: Date | string, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(typeof at === 'string' ? new Date(at) : at);
}

/** `day` plus `n` days (calendar arithmetic, no zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The UTC instants [start, end) of a client-local day. */
export function dayBounds(day: string, timeZone: string): { start: string; end: string } {
  return { start: startOfDayInZone(day, timeZone)!.toISOString(), end: startOfDayInZone(addDays(day, 1), timeZone)!.toISOString() };
}

export interface Period {
  /** First day, YYYY-MM-DD */
  start: string;
  /** Last day (inclusive), YYYY-MM-DD */
  end: string;
}

/** The month holding `day`. */
export function monthOf(day: string): Period {
  const start = `${day.slice(0, 7)}-01`;
  return { start, end: addDays(addMonths(start, 1), -1) };
}

/** The first day of the month `n` months after the one starting on `monthStart`. */
export function addMonths(monthStart: string, n: number): string {
  const y = Number(monthStart.slice(0, 4));
  const m = Number(monthStart.slice(5, 7)) - 1 + n;
  const d = new Date(Date.UTC(y, m, 1));
  return d.toISOString().slice(0, 10);
}

/** A valid calendar date typed as YYYY-MM-DD. */
export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}
