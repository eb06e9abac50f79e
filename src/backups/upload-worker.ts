// The upload thread (started by backups/upload.ts): reads a consistent data file, compresses,
// encrypts and uploads it (multipart) in its own thread, so the buffers of a large upload and the
// garbage collection they cause stay off the server's main thread. Bundled on its own into the
// single executable (build.config.ts `workers`).
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { encryptStream, measuring } from './envelope.ts';
import { openObjectStore } from './s3-store.ts';
import type { RemoteTarget } from './target.ts';

export interface UploadWorkerData { file: string; target: RemoteTarget; objectKey: string; key: Uint8Array }

export type UploadReport =
  | { type: 'progress'; sent: number }
  | { type: 'done'; size: number; sha256: string; objectSize: number; objectSha256: string }
  | { type: 'error'; message: string; code?: string };

const data = workerData as UploadWorkerData;
const post = (r: UploadReport) => parentPort?.postMessage(r);

async function run() {
  const store = openObjectStore(data.target);
  const plain = measuring();
  const sealed = measuring();
  let failed: Error | undefined;
  try {
    const body = pipeline(fs.createReadStream(data.file, { highWaterMark: 1024 * 1024 }), plain, createGzip({ level: 6 }), encryptStream(Buffer.from(data.key)), sealed, (err) => { if (err) failed = err; });
    await store.upload(data.objectKey, body, (sent) => post({ type: 'progress', sent }));
    if (failed) throw failed;
    post({ type: 'done', size: plain.bytes(), sha256: plain.sha256(), objectSize: sealed.bytes(), objectSha256: sealed.sha256() });
  } finally {
    store.close();
  }
}

run().catch((err: Error & { code?: string }) => post({ type: 'error', message: err.message, code: err.code }));
