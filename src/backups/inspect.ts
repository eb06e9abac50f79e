import { Worker } from 'node:worker_threads';
import { isSea, readEmbeddedAsset, sqliteAddonPath } from '../lib/sea.ts';
import { AppError } from '../lib/errors.ts';
import type { InspectReport, InspectWorkerData } from './inspect-worker.ts';

/** Asset key of the inspection thread's bundle inside the binary (build.config.ts `workers`). */
export const INSPECT_WORKER_ASSET = 'workers/backup-inspect-worker.cjs';

export interface Inspection { schemaVersion: number; tables: Record<string, number>; integrity?: string }

/**
 * Schema version and each table's row count (and `integrity_check` when asked) of a data file no
 * server uses, read in a worker thread so a large file does not stall the main thread.
 */
export function inspectDataFile(file: string, opts: { integrity?: boolean } = {}): Promise<Inspection> {
  const data: InspectWorkerData = { file, integrity: !!opts.integrity, addonPath: sqliteAddonPath() };
  return new Promise((resolve, reject) => {
    let worker: Worker;
    if (isSea()) {
      const code = readEmbeddedAsset(INSPECT_WORKER_ASSET)?.toString('utf8');
      if (!code) return reject(new AppError('internal', `The executable lacks ${INSPECT_WORKER_ASSET}`, 500, false));
      worker = new Worker(code, { eval: true, workerData: data });
    } else {
      worker = new Worker(new URL('./inspect-worker.ts', import.meta.url), { workerData: data });
    }
    let settled = false;
    worker.once('message', (r: InspectReport) => {
      settled = true;
      if (r.type === 'done') resolve({ schemaVersion: r.schemaVersion, tables: r.tables, integrity: r.integrity });
      else reject(new AppError('backup_unreadable', `${file} cannot be read as a database: ${r.message}`, 1));
      void worker.terminate();
    });
    worker.once('error', (err) => { if (!settled) reject(err); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`the inspection thread stopped (exit code ${code})`)); });
  });
}
