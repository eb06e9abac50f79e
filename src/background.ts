import path from 'node:path';
import { backupIfDue, BACKUP_CHECK_MS } from './db/index.ts';
import { closeAbandonedRuns, uploadIfDue } from './backups/index.ts';
import type { AppContext } from './http/env.ts';

export interface Background {
  stop(): Promise<void>;
}

type Worker = (ctx: AppContext) => { stop(): Promise<void> | void };

export { BACKUP_CHECK_MS };

/**
 * Scheduled backups into <data-dir>/backups every --backup-interval-hours (by the clock, so
 * restarts keep the rhythm), keeping the newest --backup-keep; with off-site backups on, the
 * newest one is then uploaded (retried at a later look when it failed). `checkMs` is how often it looks.
 */
export function scheduledBackupsEvery(checkMs: number): Worker {
  return (ctx) => {
    const hours = ctx.config.backupIntervalHours;
    if (!hours) return { stop() {} };
    const dir = path.join(ctx.config.dataDir, 'backups');
    let running: Promise<void> | undefined;
    const check = async () => {
      try {
        const done = await backupIfDue(ctx.sqlite, dir, ctx.clock.now(), hours, ctx.config.backupKeep);
        if (done) ctx.log.info('lifecycle', 'scheduled backup', { file: done.file, bytes: done.bytes, pruned: done.pruned.length });
      } catch (err) {
        ctx.log.error('lifecycle', 'scheduled backup failed', { error: err as Error });
      }
      try {
        await uploadIfDue(ctx, dir);
      } catch (err) {
        ctx.log.error('lifecycle', 'off-site backup upload failed', { error: err as Error });
      }
    };
    // An upload that was running when the process stopped did not finish.
    void closeAbandonedRuns(ctx.db, ctx.clock).catch(() => undefined);
    const timer = setInterval(() => {
      running ??= check().finally(() => (running = undefined));
    }, checkMs);
    timer.unref();
    // Stopping waits for a backup in progress, so the database is not closed under it.
    return { async stop() { clearInterval(timer); await running; } };
  };
}

export const scheduledBackups: Worker = scheduledBackupsEvery(BACKUP_CHECK_MS);

/**
 * The job runner (outbox, processing, periodic jobs). Stopping waits for running jobs. A failed
 * start is logged and kept by the runner (ctx.jobs.startError), so /readyz answers 503.
 */
export const jobsWorker: Worker = (ctx) => {
  void ctx.jobs.start().catch((err) => ctx.log.error('jobs', 'job runner failed to start', { error: err as Error }));
  return { stop: () => ctx.jobs.stop() };
};

/** The channel adapters (one per channel account). Stopped after the jobs, which send through them. */
export const channelsWorker: Worker = (ctx) => {
  void ctx.channels.start().catch((err) => ctx.log.error('channel', 'channels failed to start', { error: err as Error }));
  return { stop: () => ctx.channels.stop() };
};

/** Every background worker, started after the server listens (stopped in this order). Rooms add theirs here. */
export const WORKERS: Worker[] = [scheduledBackups, jobsWorker, channelsWorker];

export function startBackgroundWork(ctx: AppContext): Background {
  const running = WORKERS.map((w) => w(ctx));
  return { stop: async () => { for (const r of running) await r.stop(); } };
}
