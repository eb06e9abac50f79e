import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { JobHandler } from './job.ts';
import { pruneDoneJobs } from './queue.ts';

export const PRUNE_JOBS_KIND = 'jobs.prune';
export const PRUNE_JOBS_EVERY_MS = 6 * 60 * 60_000;
/** Finished jobs stay a week (the UI shows them; their idempotency keys keep late duplicates out). */
export const KEEP_DONE_JOBS_MS = 7 * 24 * 60 * 60_000;

/** The periodic job deleting old finished jobs. */
export function pruneJobsHandler(deps: { db: Db; clock: Clock }): JobHandler {
  return {
    kind: PRUNE_JOBS_KIND,
    async run() {
      await pruneDoneJobs(deps.db, deps.clock, KEEP_DONE_JOBS_MS);
    },
  };
}
