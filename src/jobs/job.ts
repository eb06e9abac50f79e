import type { Selectable } from 'kysely';
import type { JobsTable } from '../db/index.ts';

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

/** A row of the jobs table, mapped. `payload` is the parsed JSON. */
export interface Job<P = Record<string, unknown>> {
  id: string;
  clientId: string | null;
  contactId: string | null;
  conversationId: string | null;
  kind: string;
  payload: P;
  idempotencyKey: string | null;
  queueKey: string | null;
  rateKey: string | null;
  status: JobStatus;
  /** Attempts started so far, this one included while it runs. */
  attempts: number;
  maxAttempts: number;
  runAt: string;
  leaseUntil: string | null;
  lastError: string | null;
  everyMs: number | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export function toJob(r: Selectable<JobsTable>): Job {
  let payload: Record<string, unknown> = {};
  try { payload = JSON.parse(r.payload); } catch { payload = {}; }
  return {
    id: r.id, clientId: r.client_id, contactId: r.contact_id, conversationId: r.conversation_id, kind: r.kind, payload,
    idempotencyKey: r.idempotency_key, queueKey: r.queue_key, rateKey: r.rate_key, status: r.status as JobStatus,
    attempts: r.attempts, maxAttempts: r.max_attempts, runAt: r.run_at, leaseUntil: r.lease_until, lastError: r.last_error,
    everyMs: r.every_ms, createdAt: r.created_at, updatedAt: r.updated_at, finishedAt: r.finished_at,
  };
}

/**
 * What runs a kind of job. `run` must be idempotent: a job may run again after a crash (its
 * lease expires) or a failure. Throw to retry with backoff; throw PermanentJobError to give up
 * at once; throw RetryLaterError to choose the delay (e.g. a 429's Retry-After).
 */
export interface JobHandler {
  kind: string;
  run(job: Job): Promise<void>;
  /** Called once when the job goes dead (gave up), to leave a visible failure (e.g. mark a message failed). */
  onDead?(job: Job, error: string, reason?: JobFailureReason): Promise<void>;
}

/** Why a job gave up, for people: a catalog key (views/i18n) and its values, said in the reader's language. */
export interface JobFailureReason {
  key: string;
  params?: Record<string, string | number>;
}

/** Gives up at once: retrying cannot help (bad input, a permanent refusal by the remote side). `reason`: the same, translatable. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
  constructor(message: string, readonly reason?: JobFailureReason) {
    super(message);
  }
}

/** Retries after the given delay instead of the computed backoff. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(message: string, readonly delayMs: number) {
    super(message);
  }
}

/** Capped exponential backoff with jitter: attempt 1 → ~base, doubling up to cap; jitter in [½, 1]. */
export function backoffMs(attempt: number, opts: { baseMs: number; capMs: number }, random: () => number = Math.random): number {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
