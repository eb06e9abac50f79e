import Database from 'better-sqlite3';
import fs from 'node:fs';
import { loadSqliteNativeBinding } from '../lib/sea.ts';

/** An exclusive lock on a small SQLite file, held while its holder lives. */
export interface FileLock {
  release(): void;
}

/**
 * Takes the lock in `file` (created if missing), or returns undefined when another process holds it.
 * Node's fs has no lock call; SQLite's is an fcntl lock, which the kernel drops the moment the
 * holding process dies (even by SIGKILL), so a crash never leaves a stale claim behind.
 * With `locking_mode=EXCLUSIVE`, the first write takes the lock and keeps it until the handle closes.
 */
export function acquireFileLock(file: string): FileLock | undefined {
  // A short wait covers a checker (doctor, backup) that reads the file at the same moment.
  const db = new Database(file, { timeout: 250, nativeBinding: loadSqliteNativeBinding() as never });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS lock_holder (id INTEGER PRIMARY KEY CHECK (id = 1), since TEXT NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO lock_holder (id, since) VALUES (1, ?)').run(new Date().toISOString());
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw err;
  }
  return { release: () => db.close() };
}

/** Whether a live process holds the lock in `file` (a missing file: nobody). Never creates the file. */
export function isFileLockHeld(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: 0, readonly: true, fileMustExist: true, nativeBinding: loadSqliteNativeBinding() as never });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db?.close();
  }
}
