import { sql, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import { compiled, groupCommitOf, type DB, type Db, type JobsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { RateLimiter } from '../lib/token-bucket.ts';
import { backoffMs, PermanentJobError, RetryLaterError, toJob, type Job, type JobHandler } from './job.ts';
import { enqueueJob, markJobDone } from './queue.ts';
import { PENDING, RUNNING, DEAD, DONE } from './states.ts';

export interface RunnerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Jobs running at once (default 4). */
  concurrency?: number;
  /** How long a claimed job is ours; a crashed process's jobs run again after it (default 5 min). */
  leaseMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** The longest idle sleep before looking for due jobs again (default 1 s). */
  pollMs?: number;
  random?: () => number;
  /** The token bucket for a job's rate key (e.g. `channel:<id>` → sends per second); none = unlimited. */
  rateLimit?: (rateKey: string) => { capacity: number; perSecond: number } | undefined;
}

// The runner's statements, built once (db/compiled.ts): a pump follows every finished job. Lists
// of ids go in as one JSON array (json_each), so that one statement serves any number of them.
type Candidate = { id: string; rate_key: string | null };
const inList = (col: string, json: unknown) => sql<SqlBool>`${sql.ref(col)} in (select value from json_each(${json}))`;
/** Due jobs are the heads of their queues: no earlier job of the queue pending or running (a seek in jobs_queue_idx). */
const headOfQueue = (eb: ExpressionBuilder<DB & { j: DB['jobs'] }, 'j'>) => eb.or([
  eb('j.queue_key', 'is', null),
  eb.not(eb.exists(eb.selectFrom('jobs as e').select(sql.lit(1).as('one'))
    .whereRef('e.queue_key', '=', 'j.queue_key').where('e.status', 'in', [PENDING, RUNNING]).whereRef('e.id', '<', 'j.id'))),
]);
// Ordered by run_at alone, which jobs_pending_idx answers in order, so the scan stops after
// `limit` heads (an id tiebreak made SQLite test and sort every job sharing a run_at, e.g. a burst
// enqueued in one millisecond). Ties come in index (insertion) order; order within a queue is the
// head rule's job, not this one's. Jobs this runner holds (`held`) are skipped.
const dueJobs = compiled<{ now: string; held: string; limit: number }, Candidate>((db, arg) => db.selectFrom('jobs as j')
  .select(['j.id', 'j.rate_key']).where('j.status', '=', PENDING).where('j.run_at', '<=', arg('now')).where(headOfQueue)
  .where((eb) => eb.not(inList('j.id', arg('held')))).orderBy('j.run_at').limit(arg('limit')));
/** Jobs of a process that died (lease expired). */
const expiredJobs = compiled<{ now: string; held: string; limit: number }, Candidate>((db, arg) => db.selectFrom('jobs as j')
  .select(['j.id', 'j.rate_key']).where('j.status', '=', RUNNING).where('j.lease_until', '<=', arg('now')).where(headOfQueue)
  .where((eb) => eb.not(inList('j.id', arg('held')))).orderBy('j.lease_until').limit(arg('limit')));
const claimJobs = compiled<{ ids: string; leaseUntil: string; now: string }, Selectable<JobsTable>>((db, arg) => db.updateTable('jobs')
  .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), lease_until: arg('leaseUntil'), updated_at: arg('now') }))
  // Still ours to take: due and pending, or running on an expired lease. Between the select and
  // this claim a transaction may have postponed the job (a debounce moving run_at) or finished it.
  .where(inList('id', arg('ids')))
  .where((eb) => eb.or([
    eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', arg('now'))]),
    eb.and([eb('status', '=', 'running'), eb('lease_until', '<=', arg('now'))]),
  ]))
  .returningAll());

/** When the runner falls idle: the next pending job's time, and the next foreign lease's end. */
const nextRunAt = compiled<{ now: string }, { next: string | null }>((db, arg) => db.selectFrom('jobs')
  .select((eb) => eb.fn.min('run_at').as('next')).where('status', '=', PENDING).where('run_at', '>', arg('now')));
const nextLeaseEnd = compiled<{ now: string; held: string }, { next: string | null }>((db, arg) => db.selectFrom('jobs')
  .select((eb) => eb.fn.min('lease_until').as('next')).where('status', '=', RUNNING).where('lease_until', '>', arg('now'))
  .where((eb) => eb.not(inList('id', arg('held')))));

/** How often a pump also looks for jobs whose lease expired. */
const EXPIRED_CHECK_MS = 1_000;

interface Periodic {
  kind: string;
  everyMs: number;
}

/**
 * The in-process job runner: claims due jobs (a lease), runs their handlers with a concurrency
 * limit, and records the outcome (done, retry with capped exponential backoff and jitter, or dead).
 * Jobs sharing a queue key run strictly in order; jobs sharing a rate key obey a token bucket.
 * `start()` runs it on timers; tests call `drain()` to run every due job to idle, deterministically.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly periodic: Periodic[] = [];
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly limiter: RateLimiter;
  private readonly opts: Required<Omit<RunnerOptions, 'rateLimit'>>;
  private pumpChain: Promise<number> = Promise.resolve(0);
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private wakeQueued = false;
  private expiredCheckedAt = -Infinity;
  private failedStart: Error | undefined;

  constructor(opts: RunnerOptions) {
    this.opts = {
      concurrency: 4, leaseMs: 5 * 60_000, baseBackoffMs: 2_000, maxBackoffMs: 60 * 60_000, pollMs: 1_000, random: Math.random,
      ...opts,
    };
    this.limiter = new RateLimiter(opts.rateLimit ?? (() => undefined));
  }

  /** Registers the handler of one job kind (composition time, before start). */
  register(handler: JobHandler): this {
    if (this.handlers.has(handler.kind)) throw new Error(`A handler for job kind "${handler.kind}" is already registered`);
    this.handlers.set(handler.kind, handler);
    return this;
  }

  /** The job kinds that have a handler (e.g. for naming each one in the UI). */
  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /** Declares a periodic job (its handler registered as usual); one row per kind, re-armed after each run. */
  registerPeriodic(kind: string, everyMs: number): this {
    this.periodic.push({ kind, everyMs });
    return this;
  }

  /** Makes sure every periodic job has its row (a revived one if it had died). Called by start(). */
  async schedulePeriodic(): Promise<void> {
    const { db, clock } = this.opts;
    for (const p of this.periodic) {
      const key = `periodic:${p.kind}`;
      const { created } = await enqueueJob(db, clock, { kind: p.kind, idempotencyKey: key, everyMs: p.everyMs, maxAttempts: 3 });
      if (!created) {
        const now = clock.now().toISOString();
        await db.updateTable('jobs').set({ every_ms: p.everyMs, updated_at: now }).where('idempotency_key', '=', key).execute();
        await db.updateTable('jobs').set({ status: 'pending', attempts: 0, run_at: now, updated_at: now })
          .where('idempotency_key', '=', key).where((eb) => eb.or([eb('status', '=', DEAD), eb('status', '=', DONE)])).execute();
      }
    }
  }

  /** Why the last start() failed (undefined once started or never tried): the readiness probe reports it. */
  get startError(): Error | undefined {
    return this.failedStart;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      // One process serves a data dir (serve refuses a second), so a job still "running" at start
      // belonged to a process that died: take it over now rather than after its lease.
      const now = this.opts.clock.now().toISOString();
      await this.opts.db.updateTable('jobs').set({ lease_until: now }).where('status', '=', RUNNING).where('lease_until', '>', now).execute();
      await this.schedulePeriodic();
    } catch (err) {
      this.started = false;
      this.failedStart = err instanceof Error ? err : new Error(String(err));
      throw err;
    }
    this.failedStart = undefined;
    this.leaseTimer = setInterval(() => void this.renewLeases().catch((err) => this.opts.log.error('jobs', 'lease renewal failed', { error: err as Error })), Math.max(1000, Math.floor(this.opts.leaseMs / 3)));
    this.leaseTimer.unref();
    this.wake();
  }

  /** Stops claiming and waits for the running jobs to finish. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    clearInterval(this.leaseTimer);
    await this.pumpChain;
    await Promise.allSettled([...this.inflight.values()]);
  }

  /**
   * Looks for due jobs soon: call it after a commit that enqueued some (the composition wakes it
   * after every commit that published events: src/pipeline.ts). Cheap; coalesced.
   */
  wake(): void {
    if (!this.started || this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.backgroundPump();
    });
  }

  /** Runs due jobs until none is due and none is running; returns how many ran. For tests and CLI tools. */
  async drain(opts: { maxJobs?: number } = {}): Promise<number> {
    const max = opts.maxJobs ?? 10_000;
    let ran = 0;
    for (;;) {
      ran += await this.pump();
      if (this.inflight.size === 0) return ran;
      if (ran > max) throw new Error(`drain: more than ${max} jobs ran (a job that re-enqueues itself?)`);
      await Promise.race(this.inflight.values());
    }
  }

  get running(): number {
    return this.inflight.size;
  }

  /** Claims as many due jobs as there are free slots and starts them; resolves with how many. Serialised. */
  pump(): Promise<number> {
    const p = this.pumpChain.then(() => this.claimAndStart());
    this.pumpChain = p.catch(() => 0);
    return p;
  }

  /** A pump from a timer or wake-up: only while started; a failure is logged, and the next wake-up tries again. */
  private backgroundPump(): void {
    if (!this.started) return;
    this.pump().catch((err) => this.opts.log.error('jobs', 'job runner pump failed', { error: err as Error }));
  }

  private async claimAndStart(): Promise<number> {
    const free = this.opts.concurrency - this.inflight.size;
    if (free <= 0) return 0;
    const { db, clock } = this.opts;
    const nowMs = clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    const held = JSON.stringify([...this.inflight.keys()]);
    const limit = free * 4 + 8;
    // Expired leases are rare (one process serves a data dir, and start() takes over what a dead
    // one left), so they are looked for at most once a second, not at every pump (a pump follows
    // every finished job: ~70 µs each under load, scripts/bench-turn.ts).
    const lookForExpired = nowMs - this.expiredCheckedAt >= EXPIRED_CHECK_MS;
    if (lookForExpired) this.expiredCheckedAt = nowMs;
    const candidates = [
      ...(lookForExpired ? (await expiredJobs.execute(db, { now, held, limit })).rows : []),
      ...(await dueJobs.execute(db, { now, held, limit })).rows,
    ];
    const ids: string[] = [];
    let rateWait = Infinity;
    for (const c of candidates) {
      if (ids.length >= free) break;
      if (c.rate_key && !this.limiter.take(c.rate_key, nowMs)) {
        rateWait = Math.min(rateWait, this.limiter.waitMs(c.rate_key, nowMs));
        continue;
      }
      ids.push(c.id);
    }
    if (ids.length === 0) {
      this.scheduleNext(rateWait);
      return 0;
    }
    const leaseUntil = new Date(nowMs + this.opts.leaseMs).toISOString();
    // Claims are serialised (pumpChain). Durable before the handlers run (attempts count even if
    // the process dies in one), and sharing its commit with whatever else is being written.
    const { rows: claimed } = await groupCommitOf(db).run((trx) => claimJobs.execute(trx, { ids: JSON.stringify(ids), leaseUntil, now }));
    for (const row of claimed.map(toJob).sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const p = this.execute(row).finally(() => {
        this.inflight.delete(row.id);
        this.wake();
      });
      this.inflight.set(row.id, p);
    }
    return claimed.length;
  }

  /**
   * Runs one claimed job and records its outcome. Never rejects: when even recording the outcome
   * fails (e.g. SQLITE_BUSY), that is logged and the job stays leased, to run again once the lease
   * expires (handlers are idempotent), rather than an unhandled rejection ending the process.
   */
  private async execute(job: Job): Promise<void> {
    try {
      await this.runAndRecord(job);
    } catch (err) {
      this.opts.log.error('jobs', 'could not record a job outcome; it runs again after its lease', { job_id: job.id, kind: job.kind, error: err as Error });
    }
  }

  private async runAndRecord(job: Job): Promise<void> {
    const { log } = this.opts;
    if (job.attempts > job.maxAttempts) {
      // Its last attempt's process stopped mid-run (the lease expired): give up visibly.
      await this.fail(job, new PermanentJobError('gave up: the process stopped during the last attempt'));
      return;
    }
    const handler = this.handlers.get(job.kind);
    const started = Date.now();
    let outcome: unknown;
    let ok = false;
    try {
      if (!handler) throw new PermanentJobError(`no handler for job kind "${job.kind}"`);
      await handler.run(job);
      ok = true;
    } catch (err) {
      outcome = err;
    }
    if (!ok) {
      await this.fail(job, outcome);
      return;
    }
    await this.complete(job);
    log.debug('jobs', 'job done', { job_id: job.id, kind: job.kind, attempt: job.attempts, ms: Date.now() - started });
  }

  private async complete(job: Job): Promise<void> {
    const { db, clock } = this.opts;
    const now = clock.now();
    if (job.everyMs) {
      await db.updateTable('jobs').set({
        status: 'pending', attempts: 0, run_at: new Date(now.getTime() + job.everyMs).toISOString(), lease_until: null,
        last_error: null, finished_at: now.toISOString(), updated_at: now.toISOString(),
      }).where('id', '=', job.id).execute();
      return;
    }
    // A handler may have finished its job inside its own transaction (markJobDone); then this
    // matches no row and writes nothing (no WAL frame), saving a commit per job.
    await markJobDone(db, clock, job.id);
  }

  private async fail(job: Job, err: unknown): Promise<void> {
    const { db, clock, log } = this.opts;
    const now = clock.now();
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000) || 'failed';
    const permanent = err instanceof PermanentJobError;
    if (!permanent && job.attempts < job.maxAttempts) {
      const delay = err instanceof RetryLaterError ? err.delayMs : backoffMs(job.attempts, { baseMs: this.opts.baseBackoffMs, capMs: this.opts.maxBackoffMs }, this.opts.random);
      await db.updateTable('jobs').set({ status: 'pending', run_at: new Date(now.getTime() + delay).toISOString(), lease_until: null, last_error: message, updated_at: now.toISOString() })
        .where('id', '=', job.id).execute();
      log.warn('jobs', 'job failed; will retry', { job_id: job.id, kind: job.kind, attempt: job.attempts, retry_in_ms: delay, error: message });
      return;
    }
    if (job.everyMs) {
      // A periodic job never dies: it tries again next period.
      await db.updateTable('jobs').set({ status: 'pending', attempts: 0, run_at: new Date(now.getTime() + job.everyMs).toISOString(), lease_until: null, last_error: message, updated_at: now.toISOString() })
        .where('id', '=', job.id).execute();
      log.error('jobs', 'periodic job failed', { job_id: job.id, kind: job.kind, error: message });
      return;
    }
    await db.updateTable('jobs').set({ status: 'dead', lease_until: null, last_error: message, finished_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', job.id).execute();
    log.error('jobs', 'job dead', { job_id: job.id, kind: job.kind, attempts: job.attempts, error: message });
    try {
      await this.handlers.get(job.kind)?.onDead?.({ ...job, status: 'dead', lastError: message }, message, permanent ? (err as PermanentJobError).reason : undefined);
    } catch (hookErr) {
      log.error('jobs', 'onDead hook failed', { job_id: job.id, kind: job.kind, error: hookErr as Error });
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.inflight.size === 0) return;
    const { db, clock } = this.opts;
    const now = clock.now();
    await db.updateTable('jobs').set({ lease_until: new Date(now.getTime() + this.opts.leaseMs).toISOString() })
      .where('id', 'in', [...this.inflight.keys()]).where('status', '=', 'running').execute(); // by primary key
  }

  /** When started and idle: sleep until the next due job (or a rate-limit token), at most pollMs. */
  private scheduleNext(rateWaitMs: number): void {
    if (!this.started) return;
    clearTimeout(this.timer);
    void this.nextDueInMs().then((dueIn) => {
      if (!this.started) return;
      const delay = Math.max(0, Math.min(this.opts.pollMs, dueIn, rateWaitMs));
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.backgroundPump(), Math.max(delay, 5));
      this.timer.unref();
    }, () => {});
  }

  /** Time until a pending job becomes due or a foreign lease expires (due-now jobs that were not
   * claimable wait for a rate-limit token or an earlier job of their queue, which wakes us). */
  private async nextDueInMs(): Promise<number> {
    const { db, clock } = this.opts;
    const nowMs = clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    const pending = await nextRunAt.first(db, { now });
    const lease = await nextLeaseEnd.first(db, { now, held: JSON.stringify([...this.inflight.keys()]) });
    const next = [pending?.next, lease?.next].filter(Boolean).map((t) => new Date(t as string).getTime());
    return next.length ? Math.min(...next) - nowMs : Infinity;
  }
}
