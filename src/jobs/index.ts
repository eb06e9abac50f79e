// The jobs room: a durable jobs table (outbox, periodic work) and its in-process runner.
//
// Enqueue inside the transaction that makes the state change:
//   await db.transaction().execute(async (trx) => {
//     await trx.insertInto(...)...;
//     await enqueueJob(trx, clock, { kind: 'webhook.deliver', clientId, payload: {...}, idempotencyKey: `...` });
//   });
// then (after commit) `ctx.jobs.wake()`, and register the handler for the kind in src/pipeline.ts.
export { JobRunner, type RunnerOptions } from './runner.ts';
export { enqueueJob, markJobDone, reschedulePending, getJob, listJobs, countJobs, retryJob, pruneDoneJobs, type EnqueueSpec } from './queue.ts';
export { PermanentJobError, RetryLaterError, backoffMs, toJob, type Job, type JobHandler, type JobStatus } from './job.ts';
export { pruneJobsHandler, PRUNE_JOBS_KIND, PRUNE_JOBS_EVERY_MS } from './prune.ts';
