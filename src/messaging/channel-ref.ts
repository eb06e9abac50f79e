import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { ChannelAccountRef } from './types.ts';

// Every inbound and outbound message looks its channel account up: built once (db/compiled.ts).
// The client's status comes along, so a terminated client's channels stop at once. A scalar
// subquery, not a join: SQLite plans the join far slower here (measured ~8 µs against ~14–45 µs
// per message, on every message in and out).
const byId = compiled<{ id: string }, { id: string; client_id: string; kind: string; deleted_at: string | null; client_status: string | null }>((db, arg) =>
  db.selectFrom('channel_accounts')
    .select(['id', 'client_id', 'kind', 'deleted_at', (eb) => eb.selectFrom('clients').select('status').whereRef('clients.id', '=', 'channel_accounts.client_id').as('client_status')])
    .where('id', '=', arg('id')));

/**
 * The channel account facts the pipeline needs, by id (messaging's one read of the channels
 * room's table; the channels room itself has findChannelAccount). Undefined when it is gone.
 */
export async function channelAccountRef(db: Db, id: string): Promise<ChannelAccountRef | undefined> {
  const r = await byId.first(db, { id });
  return r && { id: r.id, clientId: r.client_id, kind: r.kind, ...(r.deleted_at ? { deleted: true } : {}), ...(r.client_status === 'terminated' ? { halted: true } : {}) };
}
