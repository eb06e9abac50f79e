// Off-site backups: encrypted copies of the data file in S3-compatible storage (issue 19), their
// restore, the weekly restore drill and the horizon that erasure records count.
export { REMOTE_KEYS, readRemoteSettings, remoteSettingsFrom, targetOf, locationRefusal, DEFAULT_KEEP, DEFAULT_KEEP_DAYS, type RemoteTarget, type RemoteSettings } from './target.ts';
export { openObjectStore, type ObjectStore } from './s3-store.ts';
export { remoteSettingsGuard } from './check.ts';
export type { Manifest, RemoteBackup } from './manifest.ts';
export { uploadBackupFile, pruneRemote, type BackupKey } from './upload.ts';
export { pickRemoteBackup, fetchRemoteBackup } from './fetch.ts';
export { sendBackup, uploadIfDue, backupKeyOf, backupKeyFromMaster, remoteBackupHorizon, type BackupDeps } from './scheduled.ts';
export { runRestoreDrill, restoreDrillHandler, DRILL_KIND, DRILL_CHECK_EVERY_MS, DRILL_STALE_MS } from './drill.ts';
export { lastRun, closeAbandonedRuns, type BackupRun } from './runs.ts';
export { backupRecipients } from './recipients.ts';
