import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { ChannelAccountRef } from './types.ts';

// Every inbound and outbound message looks its channel account up: built once (db/compiled.ts).
// The client's status comes along (a primary-key join): a terminated client's channels stop at once.
const byId = compiled<{ id: string }, { id: string; client_id: string; kind: string; deleted_at: string | null; client_status: string }>((db, arg) =>
  db.selectFrom('channel_accounts').innerJoin('clients', 'clients.id', 'channel_accounts.client_id')
    .select(['channel_accounts.id', 'channel_accounts.client_id', 'channel_accounts.kind', 'channel_accounts.deleted_at', 'clients.status as client_status'])
    .where('channel_accounts.id', '=', arg('id')));

/**
 * The channel account facts the pipeline needs, by id (messaging's one read of the channels
 * room's table; the channels room itself has findChannelAccount). Undefined when it is gone.
 */
export async function channelAccountRef(db: Db, id: string): Promise<ChannelAccountRef | undefined> {
  const r = await byId.first(db, { id });
  return r && { id: r.id, clientId: r.client_id, kind: r.kind, ...(r.deleted_at ? { deleted: true } : {}), ...(r.client_status === 'terminated' ? { halted: true } : {}) };
}
