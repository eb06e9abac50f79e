import fs from 'node:fs';
import path from 'node:path';
import type { Sqlite } from './connection.ts';
import { openSqlite } from './connection.ts';
import { SCHEMA_TABLE } from './migrate.ts';
import { AppError } from '../lib/errors.ts';

/** Online backup (SQLite backup API): safe while the server writes. The copy is a complete data file. */
export async function backupTo(sqlite: Sqlite, outFile: string): Promise<{ bytes: number }> {
  fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  const tmp = `${outFile}.partial`;
  fs.rmSync(tmp, { force: true });
  await sqlite.backup(tmp);
  // The copy keeps the source's WAL flag; a rollback-journal file is one self-contained file that
  // read-only checks can open without leaving -wal/-shm files beside it. Serving switches it back to WAL.
  const copy = openSqlite(tmp, {});
  copy.pragma('journal_mode = DELETE');
  copy.close();
  fs.chmodSync(tmp, 0o600); // it holds personal data: the owner only
  fs.renameSync(tmp, outFile);
  return { bytes: fs.statSync(outFile).size };
}

/** Checks that a file is a healthy Habar data file; returns its schema version or throws a clear error. */
export function verifyDataFile(file: string): { version: number } {
  if (!fs.existsSync(file)) throw new AppError('restore_invalid', `No such file: ${file}`, 400);
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 16, 0);
  fs.closeSync(fd);
  if (head.toString('latin1') !== 'SQLite format 3\u0000') {
    throw new AppError('restore_invalid', `${file} is not a SQLite database (it may be corrupt or a different kind of file)`, 400);
  }
  let opened: ReturnType<typeof openFileReadonly> | undefined;
  try {
    opened = openFileReadonly(file);
    const sqlite = opened.sqlite;
    const check = sqlite.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new AppError('restore_invalid', `${file} failed the integrity check: ${String(check)}`, 400);
    const has = sqlite.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name IN ('${SCHEMA_TABLE}','clients','users')`).get() as { n: number };
    if (has.n < 3) throw new AppError('restore_invalid', `${file} is a SQLite database but not a Habar data file`, 400);
    const v = sqlite.prepare(`SELECT max(version) AS v FROM ${SCHEMA_TABLE}`).get() as { v: number };
    return { version: Number(v.v ?? 0) };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('restore_invalid', `${file} cannot be read as a database: ${(err as Error).message}`, 400);
  } finally {
    opened?.close();
  }
}

/**
 * Opens a data file that no server is using (a backup, a file to restore) read-only. Reading a
 * WAL-mode file read-only leaves empty -wal/-shm files beside it; close() removes the ones it made.
 */
export function openFileReadonly(file: string): { sqlite: Sqlite; close(): void } {
  const made = ['-wal', '-shm'].map((s) => file + s).filter((f) => !fs.existsSync(f));
  const sqlite = openSqlite(file, { readonly: true });
  return {
    sqlite,
    close() {
      sqlite.close();
      for (const f of made) fs.rmSync(f, { force: true });
    },
  };
}

/** Keeps the newest `keep` backups of one kind (`habar-*-<tag>.db`) in `dir`. */
export function pruneBackups(dir: string, keep: number, tag = 'scheduled'): string[] {
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('habar-') && f.endsWith(`-${tag}.db`)).sort();
  const drop = files.slice(0, Math.max(0, files.length - keep));
  for (const f of drop) fs.rmSync(path.join(dir, f));
  return drop;
}

export const backupFileName = (at: Date, tag = 'scheduled') =>
  `habar-${at.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${tag}.db`;

/** When the newest backup of a kind in `dir` was taken, read from its name; undefined when there is none. */
export function lastBackupAt(dir: string, tag = 'scheduled'): Date | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const times = fs.readdirSync(dir)
    .map((f) => f.match(new RegExp(`^habar-(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})-${tag}\\.db$`)))
    .filter((m) => m !== null)
    .map((m) => Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`))
    .sort((a, b) => b - a);
  return times.length ? new Date(times[0]) : undefined;
}

/**
 * How often the scheduled-backup worker looks whether a backup is due: each scheduled backup may
 * come up to this much after its interval (privacy: when an erased person leaves the last backup).
 */
export const BACKUP_CHECK_MS = 10 * 60_000;

/**
 * A scheduled backup when the newest one is `intervalHours` old or older (or there is none), then
 * keeps the newest `keep`. Reading the last time from the files keeps the schedule across restarts.
 */
export async function backupIfDue(sqlite: Sqlite, dir: string, now: Date, intervalHours: number, keep: number): Promise<{ file: string; bytes: number; pruned: string[] } | undefined> {
  const last = lastBackupAt(dir);
  if (last && now.getTime() - last.getTime() < intervalHours * 3600_000) return undefined;
  const file = path.join(dir, backupFileName(now, 'scheduled'));
  const { bytes } = await backupTo(sqlite, file);
  return { file, bytes, pruned: pruneBackups(dir, keep) };
}
