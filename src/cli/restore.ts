import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { loadBootConfig, type BootConfig } from '../config/boot-config.ts';
import { backupFileName, backupTo, DB_FILE, latestVersion, openFileReadonly, openSqlite, verifyDataFile, type DB } from '../db/index.ts';
import { checkMasterKey, readMasterKey } from '../vault/index.ts';
import { AppError } from '../lib/errors.ts';
import type { CliIo, Command } from './commands.ts';
import { backupKeyFromMaster, fetchRemoteBackup, openObjectStore, pickRemoteBackup } from '../backups/index.ts';
import { cliTarget, remoteSettingsForCli, REMOTE_FLAGS, requireMasterKey } from './remote-target.ts';
import { refuseWhileServing } from './open-data.ts';
import { noMorePositionals, usageError, valueFlag } from './options.ts';

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

/**
 * Replaces the data file with `source` (a checked backup file): the current file is kept in
 * backups/ first, a stale WAL is dropped. `label` names the source in the output.
 */
async function installBackup(io: CliIo, config: Readonly<BootConfig>, source: string, label: string): Promise<number> {
  const target = path.join(config.dataDir, DB_FILE);
  const { version } = verifyDataFile(source);
  if (version > latestVersion()) {
    throw new AppError('schema_too_new', `${label} has schema version ${version}, but this Habar knows only up to ${latestVersion()}. Restore it with the newer Habar that made it.`, 1);
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

  io.stdout.write(`restored: ${label} -> ${target} (schema ${version})\n`);
  if (kept) io.stdout.write(`previous data kept as ${kept}\n`);
  const warning = await keyWarning(config, target);
  if (warning) io.stderr.write(`warning: ${warning}\n`);
  return 0;
}

function parseAt(io: CliIo): Date | undefined {
  const at = valueFlag(io, 'at');
  if (at === undefined) return undefined;
  const ms = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(at) || Number.isNaN(ms)) {
    throw usageError(`--at takes an RFC 3339 time such as 2026-03-01T02:00:00Z (got "${at}")`);
  }
  return new Date(ms);
}

/** `--from remote`: picks the newest remote backup at or before --at, fetches and checks it, then restores it. */
async function restoreFromRemote(io: CliIo, config: Readonly<BootConfig>, at: Date | undefined): Promise<number> {
  refuseWhileServing(config, 'restore');
  const masterKey = requireMasterKey(config);
  const target = cliTarget(await remoteSettingsForCli(io, config, masterKey, true));
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const fetched = path.join(config.dataDir, `${DB_FILE}.remote-restore`);
  const store = openObjectStore(target);
  try {
    const backup = await pickRemoteBackup(store, target.prefix, at);
    io.stderr.write(`fetching ${backup.objectKey} (${backup.objectBytes} bytes)\n`);
    await fetchRemoteBackup(store, backup, backupKeyFromMaster(masterKey), fetched);
    return await installBackup(io, config, fetched, backup.objectKey);
  } finally {
    store.close();
    fs.rmSync(fetched, { force: true });
  }
}

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Replace the data file with a backup, local or remote (checked first; the current file is kept in backups/)',
  usage: [
    'habar restore [--data-dir DIR] FILE',
    'habar restore [--data-dir DIR] --from remote [--at RFC3339] [--remote-endpoint URL] [--remote-region R] [--remote-bucket B] [--remote-prefix P]',
    '',
    '--from remote takes the newest off-site backup at or before --at (default: the newest), checks its',
    'checksum and authentication with the master key (<data-dir>/master.key, --master-key-file or',
    'HABAR_MASTER_KEY), then restores it. On an empty data dir give the target with the --remote-* flags',
    'and the keys in HABAR_BACKUP_REMOTE_ACCESS_KEY and HABAR_BACKUP_REMOTE_SECRET_KEY.',
  ].join('\n'),
  flags: ['from', 'at', ...REMOTE_FLAGS],
  async run(io) {
    const from = valueFlag(io, 'from');
    if (from !== undefined && from !== 'remote') throw usageError('--from takes only "remote" (give a backup FILE to restore a local one)');
    if (from) {
      noMorePositionals(io, 0);
      const at = parseAt(io);
      return restoreFromRemote(io, loadBootConfig(io.flags, io.env), at);
    }
    if (io.flags.at !== undefined) throw usageError('--at goes with --from remote');
    noMorePositionals(io, 1);
    if (!io.positionals[0]) throw usageError('restore needs the backup FILE: habar restore --data-dir DIR FILE (or --from remote)');
    const source = path.resolve(io.positionals[0]);
    const config = loadBootConfig(io.flags, io.env);
    if (source === path.join(config.dataDir, DB_FILE)) throw usageError(`${source} is the data file itself; give a backup file`);
    return installBackup(io, config, source, source);
  },
};
