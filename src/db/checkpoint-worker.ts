// The WAL checkpointer thread (started by db/checkpointer.ts): its own connection to the data
// file copies committed WAL frames back into habar.db while the main thread goes on serving.
// Bundled on its own into the single executable (build.config.ts `workers`), so it imports
// nothing but better-sqlite3 and Node.
import { parentPort, workerData } from 'node:worker_threads';
import { constants } from 'node:os';
import Database from 'better-sqlite3';

export interface CheckpointWorkerData {
  file: string;
  /** A PASSIVE checkpoint every this many ms. */
  everyMs: number;
  /** Inside the single executable: the extracted better-sqlite3 addon to load (the main thread's copy). */
  addonPath?: string;
}

/** What the thread reports after each checkpoint that copied something, and when it fails. */
export type CheckpointReport =
  | { type: 'checkpointed'; frames: number; log: number; ms: number }
  | { type: 'error'; message: string }
  | { type: 'ready' };

const data = workerData as CheckpointWorkerData;
let nativeBinding: object | undefined;
if (data.addonPath) {
  const module = { exports: {} };
  process.dlopen(module, data.addonPath, constants.dlopen.RTLD_NOW);
  nativeBinding = module.exports;
}
const db = new Database(data.file, { fileMustExist: true, nativeBinding: nativeBinding as never });
db.pragma('busy_timeout = 5000');
// This connection never writes; it must not checkpoint on its own schedule either.
db.pragma('wal_autocheckpoint = 0');
const post = (r: CheckpointReport) => parentPort?.postMessage(r);
post({ type: 'ready' });

const timer = setInterval(() => {
  try {
    const started = performance.now();
    // PASSIVE: copies what no reader still needs, never waits for (or blocks) the writer.
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    if (r && r.checkpointed > 0) post({ type: 'checkpointed', frames: r.checkpointed, log: r.log, ms: performance.now() - started });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
}, data.everyMs);

parentPort?.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
