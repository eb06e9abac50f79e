// The inspection thread (started by backups/inspect.ts): opens a data file that no server uses (a
// snapshot, a fetched backup) read-only and reports its schema version, each table's row count
// and, when asked, its integrity_check. Counting and checking a large file take seconds; here
// they do not stall the server's main thread. Bundled on its own into the single executable
// (build.config.ts `workers`), so it imports nothing but better-sqlite3 and Node.
import { parentPort, workerData } from 'node:worker_threads';
import { constants } from 'node:os';
import Database from 'better-sqlite3';

export interface InspectWorkerData {
  file: string;
  integrity: boolean;
  /** Inside the single executable: the extracted better-sqlite3 addon to load. */
  addonPath?: string;
}

export type InspectReport =
  | { type: 'done'; schemaVersion: number; tables: Record<string, number>; integrity?: string }
  | { type: 'error'; message: string };

const data = workerData as InspectWorkerData;
const post = (r: InspectReport) => parentPort?.postMessage(r);
try {
  let nativeBinding: object | undefined;
  if (data.addonPath) {
    const module = { exports: {} };
    process.dlopen(module, data.addonPath, constants.dlopen.RTLD_NOW);
    nativeBinding = module.exports;
  }
  const db = new Database(data.file, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding as never });
  try {
    const integrity = data.integrity ? String(db.pragma('integrity_check', { simple: true })) : undefined;
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const tables: Record<string, number> = {};
    // Table names come from sqlite_master itself; a count needs the name in the SQL text.
    for (const n of names) tables[n] = (db.prepare(`SELECT count(*) AS n FROM "${n.replaceAll('"', '""')}"`).get() as { n: number }).n;
    const v = names.includes('schema_migrations') ? (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v : 0;
    post({ type: 'done', schemaVersion: Number(v ?? 0), tables, integrity });
  } finally {
    db.close();
  }
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
