import type { Insertable } from 'kysely';
import type { Db, UsageEventsTable } from '../db/index.ts';
import { compiled, rowArgs } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';

/** Kinds of usage the billing rollups count. Rooms add theirs (ai_call, …). */
export type UsageKind = 'inbound_message' | 'outbound_message' | 'api_call' | (string & {});

export interface UsageEvent {
  clientId: string;
  kind: UsageKind;
  channelAccountId?: string | null;
  quantity?: number;
  /** Counts and names only (provider, model, tokens); never message text or personal data. */
  meta?: Record<string, unknown>;
}

type UsageRow = Required<Insertable<UsageEventsTable>>;
// Built once: one row per message sent or received (db/compiled.ts).
const insertUsage = compiled<UsageRow>((db, arg) => db.insertInto('usage_events')
  .values(rowArgs<UsageRow>(arg, ['id', 'client_id', 'kind', 'channel_account_id', 'quantity', 'meta', 'at'])));

/** Appends one usage row; call it inside the transaction of what it counts. */
export async function recordUsage(db: Db, clock: Clock, e: UsageEvent): Promise<void> {
  await insertUsage.execute(db, {
    id: newId(), client_id: e.clientId, kind: e.kind, channel_account_id: e.channelAccountId ?? null,
    quantity: e.quantity ?? 1, meta: JSON.stringify(e.meta ?? {}), at: clock.now().toISOString(),
  });
}

/** Sums of usage per kind for a client in [from, to). */
export async function usageTotals(db: Db, clientId: string, from: string, to: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('usage_events').select(['kind', (eb) => eb.fn.sum<number>('quantity').as('n')])
    .where('client_id', '=', clientId).where('at', '>=', from).where('at', '<', to).groupBy('kind').execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}
