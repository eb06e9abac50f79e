import { sql, type Insertable } from 'kysely';
import { compiled, rowArgs, type Db, type JobsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { toJob, type Job, type JobStatus } from './job.ts';
import { DEAD, DONE, PENDING, RUNNING, stateLiteral } from './states.ts';

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

type JobRow = Required<Insertable<JobsTable>>;
const JOB_COLUMNS: ReadonlyArray<keyof JobRow> = [
  'id', 'client_id', 'contact_id', 'conversation_id', 'kind', 'payload', 'idempotency_key', 'queue_key', 'rate_key', 'status',
  'attempts', 'max_attempts', 'run_at', 'lease_until', 'last_error', 'every_ms', 'created_at', 'updated_at', 'finished_at',
];
// Built once: every message enqueues at least one job (db/compiled.ts).
const insertJob = compiled<JobRow>((db, arg) => db.insertInto('jobs').values(rowArgs<JobRow>(arg, JOB_COLUMNS))
  .onConflict((oc) => oc.column('idempotency_key').doNothing()));
const doneJob = compiled<{ now: string; id: string }>((db, arg) => db.updateTable('jobs')
  .set({ status: 'done', lease_until: null, last_error: null, finished_at: arg('now'), updated_at: arg('now') })
  .where('id', '=', arg('id')).where('status', '=', 'running').where('every_ms', 'is', null));

/**
 * Adds a job inside the caller's transaction (pass the Transaction as `db`), so the state change
 * and the work it causes commit together. Returns the job id and whether it was new. A started
 * runner hears of it through the event hub (src/pipeline.ts wakes it after every commit that
 * published events); after other changes, call `ctx.jobs.wake()`.
 */
export async function enqueueJob(db: Db, clock: Clock, spec: EnqueueSpec): Promise<{ id: string; created: boolean }> {
  const now = clock.now().toISOString();
  const id = newId();
  const inserted = await insertJob.changes(db, {
    id, client_id: spec.clientId ?? null, contact_id: spec.contactId ?? null, conversation_id: spec.conversationId ?? null,
    kind: spec.kind, payload: JSON.stringify(spec.payload ?? {}), idempotency_key: spec.idempotencyKey ?? null,
    queue_key: spec.queueKey ?? null, rate_key: spec.rateKey ?? null, status: 'pending', attempts: 0,
    max_attempts: spec.maxAttempts ?? 8, run_at: (spec.runAt ?? clock.now()).toISOString(), lease_until: null,
    last_error: null, every_ms: spec.everyMs ?? null, created_at: now, updated_at: now, finished_at: null,
  });
  if (inserted > 0) return { id, created: true };
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
  return (await doneJob.changes(db, { now, id })) > 0;
}

/**
 * Moves the pending jobs of this kind in this queue to `runAt` (a debounce: "not before then");
 * returns whether there was one. Runs in the caller's transaction.
 */
export async function reschedulePending(db: Db, clock: Clock, spec: { queueKey: string; kind: string; runAt: Date }): Promise<boolean> {
  // Through jobs_queue_idx, which holds only pending and running jobs (its condition named as
  // is). A queue key names one conversation's queue, so it is one client's already.
  const r = await db.updateTable('jobs').set({ run_at: spec.runAt.toISOString(), updated_at: clock.now().toISOString() })
    .where('queue_key', '=', spec.queueKey).where('status', 'in', [PENDING, RUNNING]).where('status', '=', PENDING)
    .where('kind', '=', spec.kind)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Cancels the pending jobs of this kind for a conversation (the condition they waited for went
 * away): they are finished without running, `last_error` saying so. In the caller's transaction.
 */
export async function cancelPendingJobs(db: Db, clock: Clock, spec: { conversationId: string; kind: string; reason: string }): Promise<number> {
  const now = clock.now().toISOString();
  const r = await db.updateTable('jobs').set({ status: 'done', last_error: spec.reason, finished_at: now, updated_at: now })
    .where('conversation_id', '=', spec.conversationId).where('kind', '=', spec.kind).where('status', '=', PENDING).where('every_ms', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function getJob(db: Db, id: string): Promise<Job | undefined> {
  const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toJob(r);
}

/**
 * The jobs of one state (and client), through the cheapest index for it (migration 0009):
 * pending, running and dead through their small partial indexes, the client filtered per row
 * (`+` keeps SQLite off the client index, which would walk the client's whole history). Done
 * jobs are the great majority: a page of them walks the primary key newest first, and a count
 * (capped) walks the client's index, or jobs_done_idx for all clients.
 */
function jobsInState(db: Db, state: JobStatus | undefined, clientId: string | undefined, use: 'page' | 'count') {
  let q = db.selectFrom('jobs');
  const plain = (col: 'client_id' | 'status') => sql<string>`+${sql.ref(col)}`;
  const done = state === 'done';
  if (done && (use === 'page' || clientId)) q = q.where(plain('status'), '=', 'done');
  else if (state) q = q.where('status', '=', stateLiteral(state));
  if (clientId) q = done && use === 'count' ? q.where('client_id', '=', clientId) : q.where(plain('client_id'), '=', clientId);
  return q;
}

/**
 * The jobs screen's two queries: a page of jobs newest first, and a count that stops at `max`
 * (finished jobs are kept a week: counting them all would walk the week's history; the screen
 * shows "10000+"). Few pending, running or dead jobs are sorted after their index found them
 * (`+id`), rather than found by walking every job newest first until enough turn up.
 */
export function jobsScreenQueries(db: Db, opts: { clientId?: string; status?: JobStatus; kind?: string; before?: string; limit?: number; max?: number }) {
  let list = jobsInState(db, opts.status, opts.clientId, 'page').selectAll().limit(Math.min(opts.limit ?? 50, 500));
  list = opts.status && opts.status !== 'done' ? list.orderBy(sql`+${sql.ref('id')}`, 'desc') : list.orderBy('id', 'desc');
  if (opts.kind) list = list.where('kind', '=', opts.kind);
  if (opts.before) list = list.where('id', '<', opts.before);
  const hits = jobsInState(db, opts.status, opts.clientId, 'count').select(sql.lit(1).as('one')).limit(opts.max ?? 10_000);
  const count = db.selectFrom(hits.as('hits')).select((eb) => eb.fn.countAll<number>().as('n'));
  return { list, count };
}

/** Jobs newest first, for the UI (e.g. the dead ones with a retry button). `clientId` scopes to one client. */
export async function listJobs(db: Db, opts: { clientId?: string; status?: JobStatus; kind?: string; before?: string; limit?: number } = {}): Promise<Job[]> {
  return (await jobsScreenQueries(db, opts).list.execute()).map(toJob);
}

/** How many jobs match, counting no further than `max` (default 10,000). */
export async function countJobs(db: Db, opts: { clientId?: string; status?: JobStatus; max?: number } = {}): Promise<number> {
  const r = await jobsScreenQueries(db, opts).count.executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Runs a dead job again from scratch (attempts reset), audited as `job.retried`. `clientId` limits
 * it to that client's jobs. Returns false (and records nothing) when there is no such dead job.
 * Wake the runner afterwards.
 */
export async function retryJob(db: Db, clock: Clock, id: string, clientId: string | undefined, by: AuditBy): Promise<boolean> {
  const now = clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    let q = trx.updateTable('jobs').set({ status: 'pending', attempts: 0, run_at: now, lease_until: null, finished_at: null, updated_at: now })
      .where('id', '=', id).where('status', '=', DEAD);
    if (clientId) q = q.where('client_id', '=', clientId);
    const r = await q.returning('client_id').executeTakeFirst();
    if (!r) return false;
    // The job's own client, also when staff retry it without naming one: it shows in that client's log.
    await recordAudit(trx, clock, { actor: by, action: 'job.retried', clientId: r.client_id, targetType: 'job', targetId: id, ip: by.ip });
    return true;
  });
}

/**
 * Deletes finished jobs older than `olderThanMs` (kept a while for the UI and idempotency), at
 * most `batch` per transaction so that a week's worth does not hold the connection for seconds.
 */
export async function pruneDoneJobs(db: Db, clock: Clock, olderThanMs: number, batch = 5_000): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - olderThanMs).toISOString();
  let total = 0;
  for (;;) {
    const oldest = db.selectFrom('jobs').select('id').where('status', '=', DONE).where('finished_at', '<', cutoff).orderBy('finished_at').limit(batch);
    const r = await db.deleteFrom('jobs').where('id', 'in', oldest).executeTakeFirst();
    const n = Number(r.numDeletedRows);
    total += n;
    if (n < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
