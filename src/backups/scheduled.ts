import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import { backupFileName, lastBackupAt } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { deriveKeyFrom, keyIdOf } from '../vault/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { BACKUP_KEY_PURPOSE } from './envelope.ts';
import { openObjectStore, type ObjectStore } from './s3-store.ts';
import { finishRun, lastRun, startRun, updateRunProgress } from './runs.ts';
import { locationRefusal, readRemoteSettings, targetOf, type RemoteTarget } from './target.ts';
import { pruneRemote, uploadBackupFile, type BackupKey, type Uploaded } from './upload.ts';

export interface BackupDeps { db: Db; vault: Vault; clock: Clock; log: Logger }

/** The backup key of a running install (derived from the active master key). */
export const backupKeyOf = (vault: Vault): BackupKey => ({ key: vault.deriveKey(BACKUP_KEY_PURPOSE), masterKeyId: vault.activeKeyId });
/** The same key from the master key itself (restore onto an empty data dir, where no vault exists yet). */
export const backupKeyFromMaster = (master: Buffer): BackupKey => ({ key: deriveKeyFrom(master, BACKUP_KEY_PURPOSE), masterKeyId: keyIdOf(master) });

/** Uploads one consistent data file and applies remote retention; what the scheduled worker and `habar backup --to remote` share. */
export async function sendBackup(
  store: ObjectStore, target: RemoteTarget, key: BackupKey, file: string, at: Date, keep: { count: number; days: number },
  onProgress?: (sent: number, fileBytes: number) => void,
): Promise<Uploaded & { pruned: string[] }> {
  const uploaded = await uploadBackupFile(target, key, file, at, onProgress);
  const pruned = await pruneRemote(store, target.prefix, keep.count, keep.days, at);
  return { ...uploaded, pruned };
}

/** After a failed upload, the next attempt waits this long (the worker looks every few minutes). */
export const UPLOAD_RETRY_MS = 60 * 60_000;

/**
 * The scheduled upload: when off-site backups are on and the newest scheduled local backup (in
 * `localDir`) is not uploaded yet, encrypts and uploads it under its own time, recording the run
 * and its progress (the dashboard's line), then applies remote retention. A failed upload is
 * recorded and tried again after UPLOAD_RETRY_MS.
 */
export async function uploadIfDue(deps: BackupDeps, localDir: string): Promise<Uploaded | undefined> {
  const settings = await readRemoteSettings(deps.db, deps.vault);
  if (!settings.enabled || locationRefusal(settings)) return undefined;
  const at = lastBackupAt(localDir);
  if (!at) return undefined;
  const lastOk = await lastRun(deps.db, 'upload', 'ok');
  if (lastOk && String(lastOk.details.backup_time) >= at.toISOString()) return undefined;
  const last = await lastRun(deps.db, 'upload');
  if (last?.status === 'failed' && deps.clock.now().getTime() - Date.parse(last.finishedAt ?? last.startedAt) < UPLOAD_RETRY_MS) return undefined;
  const target = targetOf(settings);
  const file = path.join(localDir, backupFileName(at, 'scheduled'));
  const runId = await startRun(deps.db, deps.clock, 'upload', fs.statSync(file).size);
  const store = openObjectStore(target);
  let lastWrite = 0;
  let progress = Promise.resolve();
  try {
    const done = await sendBackup(store, target, backupKeyOf(deps.vault), file, at, { count: settings.keep, days: settings.keepDays }, (sent) => {
      if (Date.now() - lastWrite < 1000) return;
      lastWrite = Date.now();
      progress = progress.then(() => updateRunProgress(deps.db, runId, sent)).catch(() => undefined);
    });
    await progress;
    await finishRun(deps.db, deps.clock, runId, {
      ok: true, objectKey: done.objectKey, bytesDone: done.manifest.object_size,
      details: { backup_time: at.toISOString(), size: done.manifest.size, schema_version: done.manifest.schema_version, pruned: done.pruned.length },
    });
    deps.log.info('lifecycle', 'off-site backup uploaded', { object: done.objectKey, bytes: done.manifest.object_size, pruned: done.pruned.length });
    return done;
  } catch (err) {
    await progress;
    await finishRun(deps.db, deps.clock, runId, { ok: false, error: (err as Error).message, details: { backup_time: at.toISOString() } });
    throw err;
  } finally {
    store.close();
  }
}

/**
 * When every remote backup holding today's data will be gone: retention deletes backups older
 * than `backup.remote.keep_days` (the daily drill job applies it even when no upload runs), so
 * the horizon is that many days plus the day between two retention passes. Undefined while off-site
 * backups are off and none was ever uploaded. For the erasure record's `backups_expire_at`.
 */
export async function remoteBackupHorizon(db: Db, vault: Vault, now: Date): Promise<Date | undefined> {
  const s = await readRemoteSettings(db, vault);
  if (!s.enabled && !(await lastRun(db, 'upload', 'ok'))) return undefined;
  return new Date(now.getTime() + (s.keepDays + 1) * 86_400_000);
}
