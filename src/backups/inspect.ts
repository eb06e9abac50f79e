import { sqliteAddonPath } from '../lib/sea.ts';
import { runThread } from './thread.ts';
import { AppError } from '../lib/errors.ts';
import type { InspectReport, InspectWorkerData } from './inspect-worker.ts';

/** Asset key of the inspection thread's bundle inside the binary (build.config.ts `workers`). */
export const INSPECT_WORKER_ASSET = 'workers/backup-inspect-worker.cjs';

export interface Inspection { schemaVersion: number; tables: Record<string, number>; integrity?: string }

/**
 * Schema version and each table's row count (and `integrity_check` when asked) of a data file no
 * server uses, read in a worker thread so a large file does not stall the main thread.
 */
export async function inspectDataFile(file: string, opts: { integrity?: boolean } = {}): Promise<Inspection> {
  const data: InspectWorkerData = { file, integrity: !!opts.integrity, addonPath: sqliteAddonPath() };
  const r = await runThread<InspectReport>(INSPECT_WORKER_ASSET, new URL('./inspect-worker.ts', import.meta.url), data, () => true);
  if (r.type === 'error') throw new AppError('backup_unreadable', `${file} cannot be read as a database: ${r.message}`, 1);
  return { schemaVersion: r.schemaVersion, tables: r.tables, integrity: r.integrity };
}
