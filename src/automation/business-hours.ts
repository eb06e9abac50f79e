// Business hours: whether a client is open at an instant, and when it next opens, in the client's
// time zone (IANA names through Intl, so Asia/Almaty and zones with daylight saving both work).
// Pure functions of (hours, zone, now).
import { WEEKDAYS, type Weekday } from './rule-schema.ts';

export interface BusinessHours {
  /** Opening intervals per weekday, ["09:00", "18:00"]; a day absent or [] is closed. */
  week: Partial<Record<Weekday, Array<[string, string]>>>;
  /** Closed all day (YYYY-MM-DD, local dates). */
  holidays: string[];
  /** The template sent to a customer who writes while closed; null for none. */
  outOfHoursTemplate: string | null;
}

export const DEFAULT_TIMEZONE = 'Asia/Almaty';
/** No hours set: neither open nor closed applies (shared, so read only). */
export const NO_HOURS: BusinessHours = { week: {}, holidays: [], outOfHoursTemplate: null };

/** Hours are configured when at least one day has an interval (no hours at all: neither open nor closed applies). */
export const hasHours = (h: BusinessHours) => WEEKDAYS.some((d) => (h.week[d]?.length ?? 0) > 0);

interface LocalTime { date: string; weekday: Weekday; minutes: number }

const WEEKDAY_OF: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

// Building an Intl.DateTimeFormat costs ~0.1 ms, more than evaluating a rule: one per zone is
// kept (an immutable formatter, bounded by the zones in use; not state).
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit',
    });
    if (FORMATTERS.size < 500) FORMATTERS.set(timezone, f);
  }
  return f;
}

/** The wall-clock date, weekday and minute of the day at `at` in `timezone`. */
export function localTime(at: Date, timezone: string, fmt = formatter(timezone)): LocalTime {
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: WEEKDAY_OF[p.weekday], minutes: Number(p.hour) * 60 + Number(p.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the client is open at `now`: inside an interval of the local weekday, and not a holiday. */
export function isOpenAt(h: BusinessHours, timezone: string, now: Date): boolean {
  const t = localTime(now, timezone);
  if (h.holidays.includes(t.date)) return false;
  return (h.week[t.weekday] ?? []).some(([a, b]) => t.minutes >= toMinutes(a) && t.minutes < toMinutes(b));
}

/** The UTC instant of a local wall-clock time (date YYYY-MM-DD + minutes of the day) in `timezone`. */
export function instantOf(date: string, minutes: number, timezone: string, fmt = formatter(timezone)): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
  // The zone's offset at the guess, applied twice to land right across a change of offset.
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const t = localTime(new Date(at), timezone, fmt);
    const [ly, lm, ld] = t.date.split('-').map(Number);
    const shown = Date.UTC(ly, lm - 1, ld, Math.floor(t.minutes / 60), t.minutes % 60);
    at += guess - shown;
  }
  return new Date(at);
}

/** When the client next opens (now, if open), within two weeks; null when it never does. */
export function nextOpening(h: BusinessHours, timezone: string, now: Date): Date | null {
  if (isOpenAt(h, timezone, now)) return now;
  const fmt = formatter(timezone);
  for (let day = 0; day <= 14; day++) {
    const t = localTime(new Date(now.getTime() + day * 86_400_000), timezone, fmt);
    if (h.holidays.includes(t.date)) continue;
    const starts = (h.week[t.weekday] ?? []).map(([a]) => toMinutes(a)).sort((a, b) => a - b);
    for (const start of starts) {
      const at = instantOf(t.date, start, timezone, fmt);
      if (at.getTime() > now.getTime()) return at;
    }
  }
  return null;
}

const LOCALES: Record<string, string> = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };
const NOW_WORD: Record<string, string> = { ru: 'сейчас', kk: 'қазір', en: 'now' };

/** The next opening as a customer reads it («понедельник, 09:00»), "now" when open; undefined when never. */
export function describeNextOpening(h: BusinessHours, timezone: string, now: Date, lang: string): string | undefined {
  const at = nextOpening(h, timezone, now);
  if (!at) return undefined;
  if (at === now) return NOW_WORD[lang] ?? NOW_WORD.en;
  return new Intl.DateTimeFormat(LOCALES[lang] ?? 'en-GB', { timeZone: timezone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}
