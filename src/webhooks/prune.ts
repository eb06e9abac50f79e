import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { JobHandler } from '../jobs/index.ts';

export const PRUNE_DELIVERIES_KIND = 'webhooks.prune';
export const PRUNE_DELIVERIES_EVERY_MS = 6 * 60 * 60_000;
/** Finished deliveries stay 30 days in the log (their payloads hold message texts: not kept longer). */
const KEEP_DELIVERIES_MS = 30 * 24 * 60 * 60_000;

/** Deletes delivered and dead deliveries older than `olderThanMs`; returns how many. */
export async function pruneDeliveries(db: Db, clock: Clock, olderThanMs = KEEP_DELIVERIES_MS): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - olderThanMs).toISOString();
  const r = await db.deleteFrom('webhook_deliveries').where('status', 'in', ['delivered', 'dead']).where('created_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes a client's deliveries created before `cutoff` (ISO), whatever their state: their payloads quote messages (chat-history retention). */
export async function deleteClientDeliveriesBefore(db: Db, clientId: string, cutoff: string): Promise<number> {
  const r = await db.deleteFrom('webhook_deliveries').where('client_id', '=', clientId).where('created_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The periodic job that keeps the delivery log to its retention. */
export function pruneDeliveriesHandler(deps: { db: Db; clock: Clock }): JobHandler {
  return { kind: PRUNE_DELIVERIES_KIND, async run() { await pruneDeliveries(deps.db, deps.clock); } };
}
