import { Worker } from 'node:worker_threads';
import { isSea, readEmbeddedAsset } from '../lib/sea.ts';
import { AppError } from '../lib/errors.ts';

/**
 * Runs a worker script until it posts a final report: from source, `entry` (a .ts file beside this
 * one); inside the single executable, its bundle embedded as `asset` (build.config.ts `workers`).
 * Reports for which `isFinal` is false go to `onReport` (progress); a crash or an early exit rejects.
 */
export function runThread<R>(asset: string, entry: URL, workerData: unknown, isFinal: (r: R) => boolean, onReport?: (r: R) => void): Promise<R> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      if (isSea()) {
        const code = readEmbeddedAsset(asset)?.toString('utf8');
        if (!code) throw new AppError('internal', `The executable lacks ${asset}`, 500, false);
        worker = new Worker(code, { eval: true, workerData });
      } else {
        worker = new Worker(entry, { workerData });
      }
    } catch (err) {
      return reject(err);
    }
    let settled = false;
    worker.on('message', (r: R) => {
      if (!isFinal(r)) return onReport?.(r);
      settled = true;
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', (err) => { if (!settled) { settled = true; reject(err); } });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`the ${asset} thread stopped (exit code ${code})`)); });
  });
}
