import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import { enqueueJob, PermanentJobError, RetryLaterError, type JobHandler } from '../jobs/index.ts';
import { ChatwootError, type ClientOptions } from './client.ts';
import { clientFor, connectionOf, recordOutcome } from './accounts.ts';
import { retryDelayMs } from './mirror-job.ts';

export const CHATWOOT_DELETE_CONTACT_KIND = 'chatwoot.delete_contact';

/**
 * Erasure's Chatwoot step, inside the erasure's transaction: queues the deletion of the person's
 * Chatwoot contact (its remote id travels in the job, so it outlives our rows) and drops their id
 * map rows. Returns whether there was a contact to delete there.
 */
export async function queueChatwootContactErasure(trx: Db, clock: Clock, clientId: string, contactId: string): Promise<boolean> {
  const row = await trx.selectFrom('chatwoot_links').select('remote_id').where('client_id', '=', clientId).where('kind', '=', 'contact').where('local_id', '=', contactId).executeTakeFirst();
  await trx.deleteFrom('chatwoot_links').where('client_id', '=', clientId).where('contact_id', '=', contactId).execute();
  if (!row) return false;
  // No contact_id on the job: the erasure deletes that person's rows, this job must outlive them.
  await enqueueJob(trx, clock, {
    kind: CHATWOOT_DELETE_CONTACT_KIND, clientId, payload: { remote_contact_id: row.remote_id },
    idempotencyKey: `chatwoot:erase:${clientId}:${row.remote_id}`, maxAttempts: 200,
  });
  return true;
}

/** Deletes a Chatwoot contact (and with it their conversations there); already gone counts as done. */
export function chatwootDeleteContactHandler(deps: { db: Db; vault: Vault; clock: Clock; log: Logger; http?: ClientOptions }): JobHandler {
  return {
    kind: CHATWOOT_DELETE_CONTACT_KIND,
    async run(job) {
      const clientId = job.clientId ?? '';
      const conn = await connectionOf(deps.db, deps.vault, clientId);
      if (!conn) throw new RetryLaterError('Chatwoot is not connected; the deletion waits for it', 3_600_000);
      try {
        await clientFor(conn, deps.http).deleteContact(Number(job.payload.remote_contact_id));
      } catch (err) {
        if (!(err instanceof ChatwootError)) throw err;
        if (err.status === 404) return;
        await recordOutcome(deps.db, deps.clock, clientId, err.message);
        if (!err.retryable) throw new PermanentJobError(err.message);
        throw new RetryLaterError(err.message, retryDelayMs(job.attempts));
      }
    },
  };
}

/**
 * Chatwoot's step of a contact's erasure, in the shape of the privacy room's ErasureStep (which
 * lists it: privacy never imports us the other way): inside the erasure's transaction it queues
 * the deletion of the person's Chatwoot contact and drops their id map rows.
 */
export const chatwootErasureStep = {
  name: 'chatwoot-contact',
  async inTransaction(trx: Db, deps: { clock: Clock }, subject: { clientId: string; contactId: string }): Promise<{ evidence: Record<string, number> }> {
    const queued = await queueChatwootContactErasure(trx, deps.clock, subject.clientId, subject.contactId);
    return { evidence: { chatwoot_contacts_queued_for_deletion: queued ? 1 : 0 } };
  },
};
