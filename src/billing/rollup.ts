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

/** Recomputes one client-local day of one client from the raw events (in the caller's transaction, or its own). */
export async function recomputeDay(db: Db, clientId: string, day: string, timeZone: string): Promise<void> {
  const { start, end } = dayBounds(day, timeZone);
  await db.transaction().execute(async (trx) => {
    // Raw SQL would say nothing kysely cannot; json_extract reads the AI call's token counts.
    const rows = await trx.selectFrom('usage_events')
      .select([
        'channel_account_id', 'kind', (eb) => eb.fn.sum<number>('quantity').as('q'),
        sql<number>`sum(coalesce(json_extract(meta, '$.tokens_in'), 0))`.as('tin'),
        sql<number>`sum(coalesce(json_extract(meta, '$.tokens_out'), 0))`.as('tout'),
      ])
      .where('client_id', '=', clientId).where('at', '>=', start).where('at', '<', end)
      .groupBy(['channel_account_id', 'kind']).execute();
    await trx.deleteFrom('usage_daily').where('client_id', '=', clientId).where('day', '=', day).execute();
    const sums = new Map<string, number>();
    const add = (channel: string, kind: ApiUsageKind, n: number) => {
      if (!n) return; // zero rows are left out
      const k = `${channel}\u0000${kind}`;
      sums.set(k, (sums.get(k) ?? 0) + n);
    };
    for (const r of rows) {
      const kind = EVENT_KIND[r.kind];
      if (!kind) continue;
      const channel = r.channel_account_id ?? '';
      add(channel, kind, Number(r.q));
      if (kind === 'ai_call') {
        add(channel, 'ai_tokens_in', Number(r.tin));
        add(channel, 'ai_tokens_out', Number(r.tout));
      }
    }
    const values = [...sums].map(([k, quantity]) => {
      const [channel, kind] = k.split('\u0000');
      return { client_id: clientId, day, channel_account_id: channel, kind, quantity };
    });
    if (values.length) await trx.insertInto('usage_daily').values(values).execute();
  });
}

/** Recomputes every day of [from, to] (client-local, inclusive) of one client. */
export async function recomputeDays(db: Db, clientId: string, from: string, to: string, timeZone: string): Promise<number> {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1), n++) await recomputeDay(db, clientId, d, timeZone);
  return n;
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
  await db.insertInto('usage_rollup_marks').values({ id: 1, last_rowid: to, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_rowid: to, updated_at: now })).execute();
  return { events, days };
}
