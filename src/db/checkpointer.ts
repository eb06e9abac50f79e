import { Worker } from 'node:worker_threads';
import { isSea, readEmbeddedAsset, sqliteAddonPath } from '../lib/sea.ts';
import type { Sqlite } from './connection.ts';
import type { CheckpointReport, CheckpointWorkerData } from './checkpoint-worker.ts';

/** Asset key of the checkpointer thread's own bundle inside the binary (build.config.ts `workers`). */
export const CHECKPOINT_WORKER_ASSET = 'workers/checkpoint-worker.cjs';
/** The main connection's own checkpoints when no checkpointer thread runs (SQLite's default, 4 MB of WAL). */
export const INLINE_AUTOCHECKPOINT_PAGES = 1000;
const EVERY_MS = 100;
/**
 * WAL size (frames of 4 KB; 64 MB, the journal_size_limit) past which the main connection finishes
 * a checkpoint itself. The thread can copy what was committed, but the WAL file only starts over
 * from its beginning when a write begins after a checkpoint that copied every frame, and under
 * steady writes the thread never sees the end (the next commit lands while it copies): the WAL
 * grew by ~6 MB a second at 500 turns/s, and reads slowed with it. The main thread, between two of
 * its own transactions, copies the last few frames (the thread has just copied the rest) and its
 * next write restarts the WAL. That pause (a copy and two fsyncs) comes every ~10 s under such
 * load; at 16 MB it came every ~3 s and set the turn's p99 (27 ms over 30 s, scripts/bench-turn.ts).
 */
const RESTART_FRAMES = 16_384;

export interface Checkpointer {
  /** Whether the thread runs and does the checkpoints (false before it is ready, or after it failed). */
  readonly active: boolean;
  /** Frames the thread copied since start; `restarts`: checkpoints the main connection finished. */
  readonly stats: { frames: number; restarts: number };
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the main thread: a worker thread with its own connection copies the
 * committed WAL frames back into the data file every 100 ms (PASSIVE: it never blocks a commit),
 * and the main connection stops checkpointing inside its commits. Each of those inline
 * checkpoints (every ~1000 pages, i.e. several times a second under load) stalled the event loop
 * for milliseconds and cost about a third of a commit's CPU (scripts/bench-turn.ts).
 * Until the thread is ready, and if it ever fails, the main connection checkpoints as before.
 */
export function startCheckpointer(sqlite: Sqlite, file: string, onError: (message: string) => void = () => {}, opts: { restartFrames?: number } = {}): Checkpointer {
  const restartFrames = opts.restartFrames ?? RESTART_FRAMES;
  const stats = { frames: 0, restarts: 0 };
  let active = false;
  let stopping = false;
  const data: CheckpointWorkerData = { file, everyMs: EVERY_MS, addonPath: sqliteAddonPath() };
  let worker: Worker;
  try {
    worker = isSea()
      ? new Worker(readEmbeddedAsset(CHECKPOINT_WORKER_ASSET)?.toString('utf8') ?? missingAsset(), { eval: true, workerData: data })
      : new Worker(new URL('./checkpoint-worker.ts', import.meta.url), { workerData: data });
  } catch (err) {
    onError((err as Error).message);
    return { active: false, stats, stop: async () => {} };
  }
  worker.unref();
  const finishCheckpoint = () => {
    try {
      if (sqlite.open && !sqlite.inTransaction) {
        sqlite.pragma('wal_checkpoint(PASSIVE)');
        stats.restarts++;
      }
    } catch {
      // busy: the thread's next report tries again
    }
  };
  const fallBack = () => {
    active = false;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${INLINE_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('message', (r: CheckpointReport) => {
    if (r.type === 'ready' && !stopping) {
      sqlite.pragma('wal_autocheckpoint = 0');
      active = true;
    } else if (r.type === 'checkpointed') {
      stats.frames += r.frames;
      if (active && r.log >= restartFrames) finishCheckpoint();
    } else if (r.type === 'error') {
      // The thread cannot checkpoint (it keeps trying): the main connection does it again meanwhile.
      fallBack();
      onError(r.message);
    }
  });
  worker.on('error', (err) => {
    fallBack();
    onError(err.message);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => {
    if (!stopping) onError('the checkpointer thread stopped');
    fallBack();
    resolve();
  }));
  let stopped: Promise<void> | undefined;
  return {
    get active() { return active; },
    stats,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        fallBack();
        worker.postMessage({ type: 'stop' });
        const timeout = setTimeout(() => void worker.terminate(), 2000);
        await exited;
        clearTimeout(timeout);
      })();
      return stopped;
    },
  };
}

function missingAsset(): never {
  throw new Error(`the binary lacks ${CHECKPOINT_WORKER_ASSET}; rebuild it with npm run build`);
}
