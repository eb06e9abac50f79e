/** Calendar dates in a named time zone (e.g. Asia/Almaty), for date filters typed by people. */

function zoneOffsetMs(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The UTC instant of local midnight starting `ymd` (YYYY-MM-DD) in `timeZone`; undefined for a malformed date. */
export function startOfDayInZone(ymd: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const guess = Date.UTC(y, mo - 1, d);
  const check = new Date(guess);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  // Two passes: the offset at the guessed instant may differ from the offset at the answer (DST edges).
  let t = guess - zoneOffsetMs(guess, timeZone);
  const second = zoneOffsetMs(t, timeZone);
  t = guess - second;
  return new Date(t);
}

/** The UTC instant of local midnight ending `ymd` (the start of the next day), for inclusive "to" dates. */
export function endOfDayInZone(ymd: string, timeZone: string): Date | undefined {
  const start = startOfDayInZone(ymd, timeZone);
  if (!start) return undefined;
  const next = new Date(Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10)) + 1));
  return startOfDayInZone(next.toISOString().slice(0, 10), timeZone);
}
