import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob, type JobHandler } from '../jobs/index.ts';
import { badRequest } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { enqueueMirror } from './mirror.ts';

export const CHATWOOT_RESYNC_KIND = 'chatwoot.resync';
export const MAX_RESYNC_HOURS = 720;

/** Asks for a re-sync of the last `hours` (audited); the job does the work. */
export async function requestResync(db: Db, clock: Clock, clientId: string, hours: number, by: AuditBy): Promise<void> {
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_RESYNC_HOURS) throw badRequest(`Hours: a whole number from 1 to ${MAX_RESYNC_HOURS}`, 'hours', 'invalid_field');
  const since = new Date(clock.now().getTime() - hours * 3600_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await enqueueJob(trx, clock, { kind: CHATWOOT_RESYNC_KIND, clientId, payload: { since }, maxAttempts: 3 });
    await recordAudit(trx, clock, { actor: by, action: 'chatwoot.resync_requested', clientId, targetType: 'client', targetId: clientId, ip: by.ip, details: { hours } });
  });
}

/**
 * Fills gaps: every message since then that is not in the id map gets a mirror step (in its
 * conversation's queue, after whatever is pending there). The steps check the map and Chatwoot's
 * source_id before creating, so a re-sync never duplicates. Returns how many were queued.
 */
export async function resyncSince(db: Db, clock: Clock, clientId: string, since: string, runId: string): Promise<number> {
  const missing = await db.selectFrom('messages as m')
    .leftJoin('chatwoot_links as l', (j) => j.onRef('l.local_id', '=', 'm.id').on('l.kind', '=', 'message').on('l.client_id', '=', clientId))
    .select(['m.id', 'm.conversation_id', 'm.contact_id'])
    .where('m.client_id', '=', clientId).where('m.created_at', '>=', since).where('l.local_id', 'is', null)
    // Only what a mirror would have sent: the customer's messages and our messages that went out.
    .where((eb) => eb.or([eb('m.direction', '=', 'in'), eb('m.status', 'in', ['sent', 'delivered', 'read'])]))
    .orderBy('m.created_at').orderBy('m.id').execute();
  await db.transaction().execute(async (trx) => {
    for (const m of missing) {
      await enqueueMirror(trx, clock, { clientId, conversationId: m.conversation_id, contactId: m.contact_id, key: `chatwoot:msg:${m.id}:resync:${runId}`, op: { op: 'message', message_id: m.id } });
    }
  });
  return missing.length;
}

export function chatwootResyncHandler(deps: { db: Db; clock: Clock }): JobHandler {
  return {
    kind: CHATWOOT_RESYNC_KIND,
    async run(job) {
      await resyncSince(deps.db, deps.clock, job.clientId ?? '', String(job.payload.since ?? ''), job.id);
    },
  };
}
