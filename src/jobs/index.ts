// The jobs room: a durable jobs table (outbox, periodic work) and its in-process runner.
//
// Enqueue inside the transaction that makes the state change:
//   await db.transaction().execute(async (trx) => {
//     await trx.insertInto(...)...;
//     await enqueueJob(trx, clock, { kind: 'webhook.deliver', clientId, payload: {...}, idempotencyKey: `...` });
//   });
// and register the handler for the kind in src/pipeline.ts. A started runner wakes after every
// commit that published hub events (src/pipeline.ts, HUB_SUBSCRIBERS); after a change that
// publishes none (a retry, a redelivery), call `ctx.jobs.wake()`.
export { JobRunner, type RunnerOptions } from './runner.ts';
export { enqueueJob, markJobDone, cancelPendingJobs, reschedulePending, getJob, listJobs, countJobs, retryJob, pruneDoneJobs, type EnqueueSpec } from './queue.ts';
export { PermanentJobError, RetryLaterError, backoffMs, toJob, type Job, type JobFailureReason, type JobHandler, type JobStatus } from './job.ts';
export { pruneJobsHandler, PRUNE_JOBS_KIND, PRUNE_JOBS_EVERY_MS } from './prune.ts';
