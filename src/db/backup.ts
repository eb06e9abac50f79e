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
  await sqlite.backup(tmp);
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
  let sqlite: Sqlite | undefined;
  try {
    sqlite = openSqlite(file, { readonly: true });
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
    sqlite?.close();
  }
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
