export { openDatabase, openSqlite, DB_FILE, type Db, type Sqlite, type Opened } from './connection.ts';
export { migrate, currentVersion, latestVersion } from './migrate.ts';
export { backupTo, verifyDataFile, pruneBackups, backupFileName, openFileReadonly, lastBackupAt, backupIfDue, BACKUP_CHECK_MS } from './backup.ts';
export type * from './schema.ts';
export { acquireFileLock, isFileLockHeld, type FileLock } from './file-lock.ts';
export { compiled, rowArgs, type CompiledStatement } from './compiled.ts';
export { GroupCommit, groupCommitOf } from './group-commit.ts';
export { startCheckpointer, CHECKPOINT_WORKER_ASSET, INLINE_AUTOCHECKPOINT_PAGES, type Checkpointer } from './checkpointer.ts';
export { SEALED_COLUMNS, type SealedColumn } from './sealed-columns.ts';
