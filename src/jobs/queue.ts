import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { toJob, type Job, type JobStatus } from './job.ts';

export interface EnqueueSpec {
  kind: string;
  payload?: Record<string, unknown>;
  clientId?: string | null;
  /** Set wherever the job concerns a person, so export and erasure reach pending work. */
  contactId?: string | null;
  conversationId?: string | null;
  /** Unique: enqueuing the same key again is a no-op that returns the existing job. */
  idempotencyKey?: string;
  /** Jobs with the same queue key run strictly one after another, in enqueue order. */
  queueKey?: string;
  /** Names a token bucket (e.g. `channel:<id>`) limiting how fast such jobs start. */
  rateKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** A periodic job: after each run it is re-armed this many ms later. */
  everyMs?: number;
}

/**
 * Adds a job inside the caller's transaction (pass the Transaction as `db`), so the state change
 * and the work it causes commit together. Returns the job id and whether it was new.
 */
export async function enqueueJob(db: Db, clock: Clock, spec: EnqueueSpec): Promise<{ id: string; created: boolean }> {
  const now = clock.now().toISOString();
  const id = newId();
  const r = await db.insertInto('jobs').values({
    id, client_id: spec.clientId ?? null, contact_id: spec.contactId ?? null, conversation_id: spec.conversationId ?? null,
    kind: spec.kind, payload: JSON.stringify(spec.payload ?? {}), idempotency_key: spec.idempotencyKey ?? null,
    queue_key: spec.queueKey ?? null, rate_key: spec.rateKey ?? null, status: 'pending', attempts: 0,
    max_attempts: spec.maxAttempts ?? 8, run_at: (spec.runAt ?? clock.now()).toISOString(), lease_until: null,
    last_error: null, every_ms: spec.everyMs ?? null, created_at: now, updated_at: now, finished_at: null,
  }).onConflict((oc) => oc.column('idempotency_key').doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) return { id, created: true };
  const existing = await db.selectFrom('jobs').select('id').where('idempotency_key', '=', spec.idempotencyKey!).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/**
 * Finishes a running job inside the caller's transaction (pass the Transaction as `db`), so the
 * work and its completion commit together and the runner's own completion writes nothing.
 * Returns false when the job was not running (e.g. finished already). Not for periodic jobs.
 */
export async function markJobDone(db: Db, clock: Clock, id: string): Promise<boolean> {
  const now = clock.now().toISOString();
  const r = await db.updateTable('jobs').set({ status: 'done', lease_until: null, last_error: null, finished_at: now, updated_at: now })
    .where('id', '=', id).where('status', '=', 'running').where('every_ms', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function getJob(db: Db, id: string): Promise<Job | undefined> {
  const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toJob(r);
}

/** Jobs newest first, for the UI (e.g. the dead ones with a retry button). `clientId` scopes to one client. */
export async function listJobs(db: Db, opts: { clientId?: string; status?: JobStatus; kind?: string; before?: string; limit?: number } = {}): Promise<Job[]> {
  let q = db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(Math.min(opts.limit ?? 50, 500));
  if (opts.clientId) q = q.where('client_id', '=', opts.clientId);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.before) q = q.where('id', '<', opts.before);
  return (await q.execute()).map(toJob);
}

export async function countJobs(db: Db, opts: { clientId?: string; status?: JobStatus } = {}): Promise<number> {
  let q = db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n'));
  if (opts.clientId) q = q.where('client_id', '=', opts.clientId);
  if (opts.status) q = q.where('status', '=', opts.status);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

/**
 * Runs a dead job again from scratch (attempts reset). `clientId` limits it to that client's jobs.
 * Returns false when there is no such dead job. Wake the runner afterwards.
 */
export async function retryJob(db: Db, clock: Clock, id: string, clientId?: string): Promise<boolean> {
  const now = clock.now().toISOString();
  let q = db.updateTable('jobs').set({ status: 'pending', attempts: 0, run_at: now, lease_until: null, finished_at: null, updated_at: now })
    .where('id', '=', id).where('status', '=', 'dead');
  if (clientId) q = q.where('client_id', '=', clientId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes finished jobs older than `olderThanMs` (kept a while for the UI and idempotency). */
export async function pruneDoneJobs(db: Db, clock: Clock, olderThanMs: number): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - olderThanMs).toISOString();
  const r = await db.deleteFrom('jobs').where('status', '=', 'done').where('finished_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
