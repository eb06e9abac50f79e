// The rollup: usage events folded into daily per-client counters (usage_daily), by client-local
// day, channel and the kind integrators see. A day's counters are always recomputed whole from
// the raw events (never incremented), so running the rollup twice changes nothing and any day
// can be recomputed. Which days to recompute: those of events added since the last run (a rowid mark).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { listClients } from '../tenants/index.ts';
import { addDays, dayBounds, DEFAULT_ZONE, localDay } from './periods.ts';

/** The kinds of `GET /api/v1/usage`, in the order they are listed. */
export const USAGE_KINDS = ['message_in', 'message_out', 'ai_call', 'ai_tokens_in', 'ai_tokens_out', 'api_call'] as const;
export type ApiUsageKind = (typeof USAGE_KINDS)[number];

/** Event kinds (usage_events.kind) → the API's kind; ai_call events also carry tokens in their meta. */
const EVENT_KIND: Record<string, ApiUsageKind> = {
  inbound_message: 'message_in', outbound_message: 'message_out', ai_call: 'ai_call', api_call: 'api_call',
};

interface MinuteRow { minute: string; channel_account_id: string | null; kind: string; q: number; tin: number; tout: number }

/** Minute sums → counters per local day, channel and kind (zeros left out); `bounds[i]` starts `days[i]`. */
function foldMinutes(clientId: string, rows: MinuteRow[], days: string[], bounds: string[]) {
  const sums = new Map<string, number>();
  const add = (day: string, channel: string, kind: ApiUsageKind, n: number) => {
    if (!n) return;
    const k = `${day}\u0000${channel}\u0000${kind}`;
    sums.set(k, (sums.get(k) ?? 0) + n);
  };
  let i = 0;
  for (const r of [...rows].sort((a, b) => (a.minute < b.minute ? -1 : a.minute > b.minute ? 1 : 0))) {
    const kind = EVENT_KIND[r.kind];
    if (!kind) continue;
    const at = `${r.minute}:00.000Z`;
    while (i + 1 < days.length && bounds[i + 1] <= at) i++;
    const channel = r.channel_account_id ?? '';
    add(days[i], channel, kind, Number(r.q));
    if (kind === 'ai_call') {
      add(days[i], channel, 'ai_tokens_in', Number(r.tin));
      add(days[i], channel, 'ai_tokens_out', Number(r.tout));
    }
  }
  return [...sums].map(([k, quantity]) => {
    const [day, channel, kind] = k.split('\u0000');
    return { client_id: clientId, day, channel_account_id: channel, kind, quantity };
  });
}

/**
 * Recomputes every day of [from, to] (client-local, inclusive) of one client: one pass over the
 * raw events grouped by UTC minute (every zone's midnight falls on a whole minute), each minute
 * given to its local day. Read and replaced in one transaction, so two runs at once (the minute's
 * rollup, the statements job) each write counters they read whole. Returns the number of days.
 */
export async function recomputeDays(db: Db, clientId: string, from: string, to: string, timeZone: string): Promise<number> {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  // bounds[i] is the UTC instant local day i starts; the last one ends the range.
  const bounds = [...days.map((d) => dayBounds(d, timeZone).start), dayBounds(to, timeZone).end];
  await db.transaction().execute(async (trx) => {
    // json_extract reads the AI call's token counts; the minute is the first 16 characters of the ISO time.
    const rows = await trx.selectFrom('usage_events')
      .select([
        sql<string>`substr(at, 1, 16)`.as('minute'), 'channel_account_id', 'kind', (eb) => eb.fn.sum<number>('quantity').as('q'),
        sql<number>`sum(coalesce(json_extract(meta, '$.tokens_in'), 0))`.as('tin'),
        sql<number>`sum(coalesce(json_extract(meta, '$.tokens_out'), 0))`.as('tout'),
      ])
      .where('client_id', '=', clientId).where('at', '>=', bounds[0]).where('at', '<', bounds[bounds.length - 1])
      .groupBy([sql`substr(at, 1, 16)`, 'channel_account_id', 'kind']).execute();
    const values = foldMinutes(clientId, rows, days, bounds);
    await trx.deleteFrom('usage_daily').where('client_id', '=', clientId).where('day', '>=', from).where('day', '<=', to).execute();
    for (let at = 0; at < values.length; at += 1000) await trx.insertInto('usage_daily').values(values.slice(at, at + 1000)).execute();
  });
  return days.length;
}

/**
 * Folds the events added since the last run: every client-local day they fall on is recomputed
 * whole, then the mark moves. Returns how many events and days it covered. A crash between the
 * two repeats the recomputation next time, which gives the same counters.
 */
export async function rollupUsage(db: Db, clock: Clock): Promise<{ events: number; days: number }> {
  const mark = await db.selectFrom('usage_rollup_marks').select('last_rowid').where('id', '=', 1).executeTakeFirst();
  const from = mark?.last_rowid ?? 0;
  const top = await db.selectFrom('usage_events').select(sql<number | null>`max(rowid)`.as('m')).executeTakeFirstOrThrow();
  const to = Number(top.m ?? 0);
  if (to <= from) return { events: 0, days: 0 };
  const touched = await db.selectFrom('usage_events')
    .select(['client_id', sql<string>`min(at)`.as('first'), sql<string>`max(at)`.as('last'), sql<number>`count(*)`.as('n')])
    .where(sql.ref('rowid'), '>', from).where(sql.ref('rowid'), '<=', to).groupBy('client_id').execute();
  const zones = new Map((await listClients(db)).map((c) => [c.id, c.timezone || DEFAULT_ZONE]));
  let days = 0;
  let events = 0;
  for (const t of touched) {
    const tz = zones.get(t.client_id) ?? DEFAULT_ZONE;
    days += await recomputeDays(db, t.client_id, localDay(t.first, tz), localDay(t.last, tz), tz);
    events += Number(t.n);
  }
  const now = clock.now().toISOString();
  // Never backwards (another run may have gone further meanwhile).
  await db.insertInto('usage_rollup_marks').values({ id: 1, last_rowid: to, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_rowid: sql<number>`max(last_rowid, ${to})`, updated_at: now })).execute();
  return { events, days };
}
