export { openDatabase, openSqlite, DB_FILE, type Db, type Sqlite, type Opened } from './connection.ts';
export { migrate, currentVersion, latestVersion } from './migrate.ts';
export { backupTo, verifyDataFile, pruneBackups, backupFileName, openFileReadonly, lastBackupAt, backupIfDue } from './backup.ts';
export type * from './schema.ts';
export { acquireFileLock, isFileLockHeld, type FileLock } from './file-lock.ts';
