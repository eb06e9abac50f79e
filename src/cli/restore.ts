import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { loadBootConfig, type BootConfig } from '../config/boot-config.ts';
import { backupFileName, backupTo, DB_FILE, latestVersion, openFileReadonly, openSqlite, verifyDataFile, type DB } from '../db/index.ts';
import { checkMasterKey, readMasterKey } from '../vault/index.ts';
import { AppError } from '../lib/errors.ts';
import type { Command } from './commands.ts';
import { refuseWhileServing } from './open-data.ts';
import { noMorePositionals, usageError } from './options.ts';

/** Keeps the current data file (with its WAL content) in backups/ before it is replaced. */
async function keepCurrent(config: Readonly<BootConfig>, target: string): Promise<string> {
  const kept = path.join(config.dataDir, 'backups', backupFileName(new Date(), 'before-restore'));
  try {
    const sqlite = openSqlite(target);
    try {
      await backupTo(sqlite, kept);
    } finally {
      sqlite.close();
    }
  } catch {
    // The current file may itself be damaged (why one restores): keep its raw bytes instead.
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.copyFileSync(target, kept);
    if (fs.existsSync(`${target}-wal`)) fs.copyFileSync(`${target}-wal`, `${kept}-wal`);
  }
  return kept;
}

/** Whether the configured master key opens the restored file (a warning only: the key may be restored after). */
async function keyWarning(config: Readonly<BootConfig>, file: string): Promise<string | undefined> {
  let key: Buffer | undefined;
  try {
    key = readMasterKey({ envKey: config.masterKey, file: config.masterKeyFile });
  } catch (err) {
    return (err as Error).message;
  }
  const where = config.masterKey ? 'HABAR_MASTER_KEY' : config.masterKeyFile;
  if (!key) return `There is no master key at ${where}. Put back the key that was backed up with this data before you start Habar.`;
  const opened = openFileReadonly(file);
  try {
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: opened.sqlite }) });
    if ((await checkMasterKey(db, key)) === 'mismatch') {
      return `The master key at ${where} does not open this backup. Put back the key that was backed up with it before you start Habar.`;
    }
  } finally {
    opened.close();
  }
  return undefined;
}

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Replace the data file with a backup (checked first; the current file is kept in backups/)',
  usage: 'habar restore [--data-dir DIR] FILE',
  async run(io) {
    noMorePositionals(io, 1);
    if (!io.positionals[0]) throw usageError('restore needs the backup FILE: habar restore --data-dir DIR FILE');
    const source = path.resolve(io.positionals[0]);
    const config = loadBootConfig(io.flags, io.env);
    const target = path.join(config.dataDir, DB_FILE);
    if (source === target) throw usageError(`${source} is the data file itself; give a backup file`);
    const { version } = verifyDataFile(source);
    if (version > latestVersion()) {
      throw new AppError('schema_too_new', `${source} has schema version ${version}, but this Habar knows only up to ${latestVersion()}. Restore it with the newer Habar that made it.`, 1);
    }
    refuseWhileServing(config, 'restore');
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const kept = fs.existsSync(target) ? await keepCurrent(config, target) : undefined;

    // Copy through the backup API (a WAL beside the source is included), check the copy, then swap it in.
    const incoming = `${target}.restoring`;
    const src = openFileReadonly(source);
    try {
      await backupTo(src.sqlite, incoming);
    } finally {
      src.close();
    }
    verifyDataFile(incoming);
    // A stale WAL would be replayed onto the restored file: drop it (its content is in the kept copy).
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(target + suffix, { force: true });
    fs.renameSync(incoming, target);

    io.stdout.write(`restored: ${source} -> ${target} (schema ${version})\n`);
    if (kept) io.stdout.write(`previous data kept as ${kept}\n`);
    const warning = await keyWarning(config, target);
    if (warning) io.stderr.write(`warning: ${warning}\n`);
    return 0;
  },
};
