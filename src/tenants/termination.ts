import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { conflict } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { endClientSessions } from '../auth/index.ts';
import { getClient, type Client } from './clients.ts';

/**
 * The operator ends a client's contract (privacy policy 5.2): in one transaction the client
 * becomes `terminated`, its members' sessions end (they cannot sign in again: login and session
 * checks read the status) and `client.terminated` is audited. Its channels stop taking and sending
 * messages at once (the messaging room reads the status with every message); the caller also
 * stops their running adapters. The purge follows the configured number of days later.
 * Terminating a terminated client is a 409 and changes nothing.
 */
export async function terminateClient(db: Db, clock: Clock, clientId: string, by: AuditBy): Promise<Client> {
  return db.transaction().execute(async (trx) => {
    const client = await getClient(trx, clientId);
    if (client.status === 'terminated') throw conflict('This client is already terminated', 'already_terminated');
    const now = clock.now().toISOString();
    await trx.updateTable('clients').set({ status: 'terminated', terminated_at: now, updated_at: now }).where('id', '=', client.id).execute();
    const ended = await endClientSessions(trx, client.id);
    await recordAudit(trx, clock, {
      actor: by, action: 'client.terminated', clientId: client.id, targetType: 'client', targetId: client.id, ip: by.ip,
      details: { sessions_ended: ended },
    });
    return { ...client, status: 'terminated', terminatedAt: now, updatedAt: now };
  });
}
