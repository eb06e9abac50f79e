import fs from 'node:fs';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { encryptStream, measuring } from './envelope.ts';
import { groupBackups, listPrefixOf, manifestKeyOf, objectKeyOf, stampOf, type Manifest } from './manifest.ts';
import type { ObjectStore } from './s3-store.ts';
import { inspectDataFile } from './inspect.ts';

/** The backup key and the id of the master key it came from (recorded in each manifest). */
export interface BackupKey { key: Buffer; masterKeyId: string }

export interface Uploaded { objectKey: string; manifest: Manifest }

/**
 * Compresses, encrypts and uploads a consistent data file (a snapshot no server writes to) as
 * `<prefix>/habar-<stamp>.db.enc`, then its manifest: a backup counts once its manifest is there.
 * `onProgress` hears the encrypted bytes sent and the data file's size.
 */
export async function uploadBackupFile(
  store: ObjectStore, prefix: string, key: BackupKey, file: string, at: Date, onProgress?: (sent: number, fileBytes: number) => void,
): Promise<Uploaded> {
  const { schemaVersion, tables } = await inspectDataFile(file);
  const size = fs.statSync(file).size;
  const stamp = stampOf(at);
  const objectKey = objectKeyOf(prefix, stamp);
  const plain = measuring();
  const sealed = measuring();
  let failed: Error | undefined;
  const body = pipeline(fs.createReadStream(file), plain, createGzip({ level: 6 }), encryptStream(key.key), sealed, (err) => { if (err) failed = err; });
  await store.upload(objectKey, body, (sent) => onProgress?.(sent, size));
  if (failed) throw failed;
  const manifest: Manifest = {
    format: 'habar-backup/1', time: at.toISOString(), schema_version: schemaVersion, size: plain.bytes(), sha256: plain.sha256(),
    object_size: sealed.bytes(), object_sha256: sealed.sha256(), master_key_id: key.masterKeyId, tables,
  };
  await store.upload(manifestKeyOf(prefix, stamp), Buffer.from(JSON.stringify(manifest, null, 2)));
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
