import fs from 'node:fs';
import { runThread } from './thread.ts';
import { AppError } from '../lib/errors.ts';
import { groupBackups, listPrefixOf, manifestKeyOf, objectKeyOf, stampOf, type Manifest } from './manifest.ts';
import { openObjectStore, type ObjectStore } from './s3-store.ts';
import { inspectDataFile } from './inspect.ts';
import type { RemoteTarget } from './target.ts';
import type { UploadReport, UploadWorkerData } from './upload-worker.ts';

/** Asset key of the upload thread's bundle inside the binary (build.config.ts `workers`). */
export const UPLOAD_WORKER_ASSET = 'workers/backup-upload-worker.cjs';

/** The backup key and the id of the master key it came from (recorded in each manifest). */
export interface BackupKey { key: Buffer; masterKeyId: string }

export interface Uploaded { objectKey: string; manifest: Manifest }

/** Compresses, encrypts and uploads `file` as `objectKey` in the upload thread; resolves with the sizes and digests. */
async function uploadInThread(target: RemoteTarget, key: Buffer, file: string, objectKey: string, onProgress?: (sent: number) => void) {
  const data: UploadWorkerData = { file, target, objectKey, key: new Uint8Array(key) };
  const r = await runThread<UploadReport>(UPLOAD_WORKER_ASSET, new URL('./upload-worker.ts', import.meta.url), data, (x) => x.type !== 'progress', (x) => {
    if (x.type === 'progress') onProgress?.(x.sent);
  });
  if (r.type !== 'done') throw new AppError(r.type === 'error' && r.code === 'remote_storage' ? 'remote_storage' : 'remote_upload_failed', r.type === 'error' ? r.message : 'upload failed', 502);
  return r;
}

/**
 * Compresses, encrypts and uploads a consistent data file (a snapshot no server writes to) as
 * `<prefix>/habar-<stamp>.db.enc`, then its manifest: a backup counts once its manifest is there.
 * The heavy work runs in worker threads (row counts, then the upload). `onProgress` hears the
 * encrypted bytes sent and the data file's size.
 */
export async function uploadBackupFile(
  target: RemoteTarget, key: BackupKey, file: string, at: Date, onProgress?: (sent: number, fileBytes: number) => void,
): Promise<Uploaded> {
  const { schemaVersion, tables } = await inspectDataFile(file);
  const size = fs.statSync(file).size;
  const stamp = stampOf(at);
  const objectKey = objectKeyOf(target.prefix, stamp);
  const done = await uploadInThread(target, key.key, file, objectKey, (sent) => onProgress?.(sent, size));
  const manifest: Manifest = {
    format: 'habar-backup/1', time: at.toISOString(), schema_version: schemaVersion, size: done.size, sha256: done.sha256,
    object_size: done.objectSize, object_sha256: done.objectSha256, master_key_id: key.masterKeyId, tables,
  };
  const store = openObjectStore(target);
  try {
    await store.upload(manifestKeyOf(target.prefix, stamp), Buffer.from(JSON.stringify(manifest, null, 2)));
  } finally {
    store.close();
  }
  return { objectKey, manifest };
}

/**
 * Remote retention: keeps the newest `keep` complete backups that are at most `keepDays` old and
 * deletes the rest (the manifest first, so a half-deleted backup never looks whole). An object
 * without a manifest (an upload that died) goes once it is a day old.
 */
export async function pruneRemote(store: ObjectStore, prefix: string, keep: number, keepDays: number, now: Date): Promise<string[]> {
  const all = groupBackups(prefix, await store.list(listPrefixOf(prefix)));
  const oldest = now.getTime() - keepDays * 86_400_000;
  const kept = new Set(all.filter((b) => b.complete && b.time.getTime() >= oldest).slice(0, keep).map((b) => b.stamp));
  const dropped: string[] = [];
  for (const b of all) {
    if (kept.has(b.stamp)) continue;
    if (!b.complete && now.getTime() - b.time.getTime() < 86_400_000) continue; // maybe still uploading
    await store.remove(b.manifestKey);
    await store.remove(b.objectKey);
    dropped.push(b.objectKey);
  }
  return dropped;
}
