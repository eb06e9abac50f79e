import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AppError } from '../lib/errors.ts';
import { authFailed, decryptStream, measuring } from './envelope.ts';
import { groupBackups, listPrefixOf, parseManifest, type Manifest, type RemoteBackup } from './manifest.ts';
import type { ObjectStore } from './s3-store.ts';
import type { BackupKey } from './upload.ts';

/** The newest complete backup taken at or before `at` (any when absent), or a clear error. */
export async function pickRemoteBackup(store: ObjectStore, prefix: string, at?: Date): Promise<RemoteBackup> {
  const all = groupBackups(prefix, await store.list(listPrefixOf(prefix))).filter((b) => b.complete);
  const found = all.find((b) => !at || b.time.getTime() <= at.getTime());
  if (!found) {
    const where = `${prefix ? `${prefix}/` : ''}habar-*.db.enc`;
    throw new AppError('no_remote_backup', all.length
      ? `No remote backup at or before ${at!.toISOString()} (the oldest is from ${all[all.length - 1].time.toISOString()})`
      : `No remote backup found (${where} with its manifest) in the bucket`, 1);
  }
  return found;
}

/**
 * Downloads a backup, checks the encrypted object's size and sha256 against its manifest, then
 * decrypts (AES-256-GCM: tampering or a wrong key fails authentication) and decompresses it into
 * `dest`, checking the data file's sha256. Any failure removes what it wrote and throws.
 */
export async function fetchRemoteBackup(store: ObjectStore, backup: RemoteBackup, key: BackupKey, dest: string): Promise<Manifest> {
  const manifest = parseManifest(await store.getText(backup.manifestKey), backup.manifestKey);
  if (manifest.master_key_id !== key.masterKeyId) {
    throw new AppError('backup_wrong_key', `${backup.objectKey} was encrypted with master key ${manifest.master_key_id}, but the key given is ${key.masterKeyId}. Give the master key that was in use when the backup was made. Nothing was restored.`, 1);
  }
  const sealedFile = `${dest}.download`;
  try {
    const sealed = measuring();
    await pipeline(await store.get(backup.objectKey), sealed, fs.createWriteStream(sealedFile, { mode: 0o600 }));
    if (sealed.bytes() !== manifest.object_size || sealed.sha256() !== manifest.object_sha256) {
      throw new AppError('backup_checksum', `${backup.objectKey} does not match its manifest's checksum (${sealed.bytes()} bytes, sha256 ${sealed.sha256().slice(0, 12)}…; expected ${manifest.object_size} bytes, ${manifest.object_sha256.slice(0, 12)}…). It is damaged; nothing was restored.`, 1);
    }
    const plain = measuring();
    try {
      await pipeline(fs.createReadStream(sealedFile), decryptStream(key.key), createGunzip(), plain, fs.createWriteStream(dest, { mode: 0o600 }));
    } catch (err) {
      // Garbage out of a failed decryption stops the decompressor before the tag is checked: the same failure.
      throw err instanceof AppError ? err : authFailed();
    }
    if (plain.bytes() !== manifest.size || plain.sha256() !== manifest.sha256) {
      throw new AppError('backup_checksum', `The data file inside ${backup.objectKey} does not match the manifest's sha256. Nothing was restored.`, 1);
    }
    return manifest;
  } catch (err) {
    fs.rmSync(dest, { force: true });
    throw err;
  } finally {
    fs.rmSync(sealedFile, { force: true });
  }
}
