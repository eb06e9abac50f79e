// Erasure (policy 7.3) and minors (10): one database transaction deletes or strips every row the
// registry lists for the person and runs each room's erasure step; a job then deletes their files,
// tells remote parties and truncates the WAL (which still holds the deleted rows' old pages) before
// the request is marked done. Idempotent: erasing an erased person answers their record again.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { BACKUP_CHECK_MS } from '../db/index.ts';
import { enqueueJob, PermanentJobError, RetryLaterError, type JobHandler } from '../jobs/index.ts';
import { recordAudit, SYSTEM_ACTOR } from '../audit/index.ts';
import { getContact, inTransaction, listIdentities } from '../messaging/index.ts';
import { isAppError } from '../lib/errors.ts';
import { PERSONAL_DATA, type PersonalDataTable, type RowsBy } from './registry.ts';
import { ERASURE_STEPS, type ErasureDeps, type ErasureSubject } from './erasure-steps.ts';
import { findRequest, listRequests, updateRequest, type PrivacyRequest } from './requests.ts';
import { recordRequestIn, type PrivacyBy, type PrivacyDeps } from './restriction.ts';
import { remoteBackupHorizon } from '../backups/index.ts';
import type { Vault } from '../vault/index.ts';

export const ERASURE_JOB = 'privacy.erasure';

export interface EraseDeps extends PrivacyDeps, ErasureDeps {
  /** Scheduled backups: when the last one holding the person rotates out (backups_expire_at). */
  backups: { intervalHours: number; keep: number };
  /** Tells the job runner that the erasure job is queued (the transaction publishes no event that would). */
  wake?: () => void;
}

/** The erasure's dependencies from the app's context (its boot configuration says where files and backups are). */
export function eraseDepsOf(ctx: PrivacyDeps & Omit<ErasureDeps, 'dataDir'> & { config: { dataDir: string; backupIntervalHours: number; backupKeep: number }; jobs?: { wake(): void } }): EraseDeps {
  const jobs = ctx.jobs;
  return { ...ctx, dataDir: ctx.config.dataDir, backups: { intervalHours: ctx.config.backupIntervalHours, keep: ctx.config.backupKeep }, ...(jobs ? { wake: () => jobs.wake() } : {}) };
}

/**
 * When the last scheduled backup taken before `at` is pruned (null: no scheduled backups rotate):
 * `keep` newer ones must be taken first, each at most an interval plus the worker's check period
 * after the one before (db/backup.ts, BACKUP_CHECK_MS).
 */
export function backupsExpireAt(at: Date, backups: { intervalHours: number; keep: number }): string | null {
  if (!backups.intervalHours) return null;
  return new Date(at.getTime() + backups.keep * (backups.intervalHours * 3_600_000 + BACKUP_CHECK_MS)).toISOString();
}

/** When the last backup holding the person is gone: the later of the local rotation and the off-site retention (null: neither rotates). */
async function allBackupsGoneAt(deps: { db: Db; vault: Vault; backups: { intervalHours: number; keep: number } }, now: Date): Promise<string | null> {
  const local = backupsExpireAt(now, deps.backups);
  const remote = (await remoteBackupHorizon(deps.db, deps.vault, now))?.toISOString() ?? null;
  return local && remote ? (local > remote ? local : remote) : local ?? remote;
}

const contactRows = (e: PersonalDataTable, by: RowsBy, s: ErasureSubject) => {
  // Raw identifiers from the registry (a static list in this file's room, not user input).
  const where = 'in' in by
    ? sql`${sql.ref(by.column)} in (select id from ${sql.table(by.in.table)} where ${sql.ref(by.in.key)} = ${s.contactId})`
    : sql`${sql.ref(by.column)} = ${s.contactId}`;
  const client = e.byClient && !('in' in e.byClient) ? sql` and ${sql.ref(e.byClient.column)} = ${s.clientId}` : sql``;
  return { where, client };
};

/** Deletes or strips the person's rows of every registered table (the contact itself last). */
async function eraseRows(trx: Db, s: ErasureSubject): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const entries = PERSONAL_DATA.filter((e) => e.byContact && e.contactErasure && (e.contactErasure.do === 'delete' || e.contactErasure.do === 'strip'));
  const ordered = [...entries.filter((e) => e.contactErasure!.do === 'strip'), ...entries.filter((e) => e.contactErasure!.do === 'delete' && e.table !== 'contacts'), ...entries.filter((e) => e.table === 'contacts')];
  for (const e of ordered) {
    const { where, client } = contactRows(e, e.byContact!, s);
    const erasure = e.contactErasure!;
    // Raw SQL: the table and columns come from the registry, one statement for every table.
    const r = erasure.do === 'strip'
      ? await sql`update ${sql.table(e.table)} set ${sql.join(erasure.columns.map((c) => sql`${sql.ref(c)} = null`))} where ${where}${client}`.execute(trx)
      : await sql`delete from ${sql.table(e.table)} where ${where}${client}`.execute(trx);
    counts[e.table] = Number(r.numAffectedRows ?? 0);
  }
  return counts;
}

/**
 * Erases a contact of the client: the request record (kind erasure, status running), then in one
 * transaction every row and each step's part, and the job that finishes it. `reason` minor: the
 * contact was marked as a minor (audited `contact.marked_minor`). A contact already erased by an
 * earlier request answers that request; an unknown one (or another client's) is "not found".
 */
export async function eraseContact(deps: EraseDeps, clientId: string, contactId: string, by: PrivacyBy, reason: 'request' | 'minor' = 'request'): Promise<PrivacyRequest> {
  try {
    await getContact(deps.db, clientId, contactId);
  } catch (err) {
    if (!isAppError(err) || err.status !== 404) throw err;
    const earlier = (await listRequests(deps.db, { clientId, contactId, kind: 'erasure', limit: 1 })).data[0];
    if (earlier) return earlier;
    throw err;
  }
  const request = await inTransaction(deps, async (trx) => {
    const contact = await getContact(trx, clientId, contactId);
    const identities = await listIdentities(trx, contactId);
    const subject: ErasureSubject = { clientId, contactId, phone: contact.phone, identities: identities.map((i) => ({ kind: i.kind, value: i.value, channelAccountId: i.channelAccountId })) };
    if (reason === 'minor') {
      await recordAudit(trx, deps.clock, { actor: by.audit, action: 'contact.marked_minor', clientId, targetType: 'contact', targetId: contactId, ip: by.audit.ip });
    }
    const req = await recordRequestIn(trx, deps.clock, { clientId, contactId, kind: 'erasure', requester: by.requester, status: 'running', evidence: { reason } }, by.audit);
    const later: Record<string, Record<string, unknown>> = {};
    const steps: Record<string, number> = {};
    for (const step of ERASURE_STEPS) {
      const r = await step.inTransaction?.(trx, deps, subject);
      if (r?.later) later[step.name] = r.later;
      Object.assign(steps, r?.evidence ?? {});
    }
    const rows = await eraseRows(trx, subject);
    const evidence = { reason, rows, steps };
    await trx.updateTable('privacy_requests').set({ evidence: JSON.stringify(evidence), progress: 50 }).where('id', '=', req.id).execute();
    await recordAudit(trx, deps.clock, { actor: by.audit, action: 'contact.erased', clientId, targetType: 'contact', targetId: contactId, ip: by.audit.ip, details: { request_id: req.id, reason } });
    // No contact_id on the job: the contact is gone; the payload holds ids and file paths only.
    await enqueueJob(trx, deps.clock, { kind: ERASURE_JOB, clientId, payload: { request_id: req.id, later }, idempotencyKey: `${ERASURE_JOB}:${req.id}`, maxAttempts: 10 });
    return { ...req, progress: 50, evidence };
  });
  deps.wake?.();
  return request;
}

/**
 * Folds the WAL into the data file and truncates it, so the deleted rows' old page images are gone
 * from it too (secure_delete, on for the connection, overwrote the freed cells in the pages; the
 * search indexes run with FTS5's secure-delete since 0006, so a deleted row leaves no trigrams in
 * their segments either: privacy/erasure.test.ts proves both without an 'optimize', which would
 * rewrite the whole index on every erasure). Returns whether the WAL was emptied.
 */
export async function scrubDeletedData(db: Db): Promise<boolean> {
  // Raw SQL: PRAGMA has no builder.
  const { rows } = await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  return rows[0]?.busy === 0;
}

/** The erasure job: each step's after-commit work, the scrub, then the request is done (with backups_expire_at). */
export function erasureJobHandler(deps: EraseDeps): JobHandler {
  return {
    kind: ERASURE_JOB,
    async run(job) {
      const { request_id: id, later } = job.payload as { request_id: string; later: Record<string, Record<string, unknown>> };
      const request = await findRequest(deps.db, id);
      if (!request) throw new PermanentJobError('The erasure request is gone');
      if (request.status === 'done') return;
      const steps: Record<string, number> = {};
      for (const step of ERASURE_STEPS) Object.assign(steps, (await step.afterCommit?.(deps, later[step.name] ?? {})) ?? {});
      // The erasure is done only once the WAL no longer holds the deleted rows' old pages: a reader
      // that kept the checkpoint from finishing means another try shortly.
      if (!(await scrubDeletedData(deps.db))) throw new RetryLaterError('The WAL could not be truncated yet (a reader was active)', 5_000);
      const now = deps.clock.now();
      const prior = request.evidence as { steps?: Record<string, number> };
      await updateRequest(deps.db, deps.clock, id, {
        status: 'done', evidence: { steps: { ...prior.steps, ...steps }, wal_truncated: true }, backupsExpireAt: await allBackupsGoneAt(deps, now),
      });
      await recordAudit(deps.db, deps.clock, { actor: SYSTEM_ACTOR, action: 'privacy_request.completed', clientId: request.clientId, targetType: 'contact', targetId: request.contactId ?? undefined, details: { request_id: id, kind: 'erasure' } });
      deps.log.info('privacy', 'erasure done', { request_id: id });
    },
    async onDead(job, error) {
      const id = (job.payload as { request_id?: string }).request_id;
      if (id) await updateRequest(deps.db, deps.clock, id, { status: 'failed', error: error.slice(0, 500) });
    },
  };
}
