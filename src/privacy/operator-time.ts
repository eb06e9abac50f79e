// The operator's time zone (global setting operator.timezone, default Asia/Almaty): policy
// effective dates and breach deadlines count in it.
import type { Db } from '../db/index.ts';
import { startOfDayInZone } from '../lib/zoned-time.ts';
import { storedSettings } from '../settings/index.ts';

export const OPERATOR_TZ_SETTING = 'operator.timezone';
export const DEFAULT_OPERATOR_TZ = 'Asia/Almaty';

export async function operatorTimeZone(db: Db): Promise<string> {
  return (await storedSettings(db, [OPERATOR_TZ_SETTING])).get(OPERATOR_TZ_SETTING) || DEFAULT_OPERATOR_TZ;
}

/** The calendar date of `at` in `timeZone`: YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/**
 * One working day after `at`: the end of the first working day (Monday to Friday) after the day of
 * `at`, in `timeZone`. Public holidays are not known to Habar and count as working days.
 */
export function oneWorkingDayAfter(at: Date, timeZone: string): Date {
  let day = addDays(localDate(at, timeZone), 1);
  while (isWeekend(day)) day = addDays(day, 1);
  return startOfDayInZone(addDays(day, 1), timeZone)!;
}
