import path from 'node:path';
import { backupTo, backupFileName, pruneBackups } from './db/index.ts';
import type { AppContext } from './http/env.ts';

export interface Background {
  stop(): Promise<void>;
}

type Worker = (ctx: AppContext) => { stop(): Promise<void> | void };

/** Scheduled backups into <data-dir>/backups, keeping the newest N. */
export const scheduledBackups: Worker = (ctx) => {
  const hours = ctx.config.backupIntervalHours;
  if (!hours) return { stop() {} };
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const dir = path.join(ctx.config.dataDir, 'backups');
      const file = path.join(dir, backupFileName(ctx.clock.now(), 'scheduled'));
      const { bytes } = await backupTo(ctx.sqlite, file);
      pruneBackups(dir, ctx.config.backupKeep);
      ctx.log.info('lifecycle', 'scheduled backup', { file, bytes });
    } catch (err) {
      ctx.log.error('lifecycle', 'scheduled backup failed', { error: err as Error });
    } finally {
      running = false;
    }
  }, hours * 3600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};

/** Every background worker, started after the server listens. Rooms add theirs here. */
export const WORKERS: Worker[] = [scheduledBackups];

export function startBackgroundWork(ctx: AppContext): Background {
  const running = WORKERS.map((w) => w(ctx));
  return { stop: async () => { for (const r of running) await r.stop(); } };
}
