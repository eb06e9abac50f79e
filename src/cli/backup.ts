import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { loadBootConfig, type BootConfig } from '../config/boot-config.ts';
import { backupTo, openSqlite, verifyDataFile, type DB } from '../db/index.ts';
import { checkMasterKey } from '../vault/index.ts';
import { backupKeyFromMaster, locationRefusal, openObjectStore, sendBackup } from '../backups/index.ts';
import { AppError } from '../lib/errors.ts';
import type { CliIo, Command } from './commands.ts';
import { existingDataFile } from './open-data.ts';
import { noMorePositionals, usageError, valueFlag } from './options.ts';
import { cliTarget, progressLine, remoteSettingsForCli, REMOTE_FLAGS, requireMasterKey } from './remote-target.ts';

/** `--to remote`: a snapshot of the data file, encrypted and uploaded with its manifest, then remote retention. */
async function backupToRemote(io: CliIo, config: Readonly<BootConfig>, file: string): Promise<number> {
  const masterKey = requireMasterKey(config);
  const settings = await remoteSettingsForCli(io, config, masterKey, false);
  const refusal = locationRefusal(settings);
  if (refusal) throw new AppError('remote_backup_location', refusal, 1);
  const target = cliTarget(settings);
  const snapshot = path.join(config.dataDir, 'backups', `.remote-upload-${process.pid}.db`);
  const sqlite = openSqlite(file, { readonly: true });
  try {
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    if ((await checkMasterKey(db, masterKey)) === 'mismatch') {
      throw new AppError('master_key_mismatch', `The master key at ${config.masterKey ? 'HABAR_MASTER_KEY' : config.masterKeyFile} does not open this data file; a backup encrypted with it could not be restored with this install's key.`, 1);
    }
    await backupTo(sqlite, snapshot);
  } finally {
    sqlite.close();
  }
  const store = openObjectStore(target);
  try {
    const done = await sendBackup(store, target, backupKeyFromMaster(masterKey), snapshot, new Date(), { count: settings.keep, days: settings.keepDays }, progressLine(io, 'upload'));
    io.stdout.write(`backup: ${done.objectKey} (${done.manifest.object_size} bytes, schema ${done.manifest.schema_version})\n`);
    if (done.pruned.length) io.stderr.write(`remote retention removed ${done.pruned.length} older backup(s)\n`);
    return 0;
  } finally {
    store.close();
    fs.rmSync(snapshot, { force: true });
  }
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write a complete, consistent copy of the data file (safe while a server is running), or upload it encrypted off-site',
  usage: [
    'habar backup [--data-dir DIR] --out FILE',
    'habar backup [--data-dir DIR] --to remote [--remote-endpoint URL] [--remote-region R] [--remote-bucket B] [--remote-prefix P]',
    '',
    '--to remote encrypts the copy with a key derived from the master key and uploads it to the',
    'off-site storage (backup.remote.* settings; flags and HABAR_BACKUP_REMOTE_ACCESS_KEY/_SECRET_KEY override them).',
  ].join('\n'),
  flags: ['out', 'to', ...REMOTE_FLAGS],
  async run(io) {
    noMorePositionals(io, 0);
    const to = valueFlag(io, 'to');
    if (to !== undefined && to !== 'remote') throw usageError('--to takes only "remote" (use --out FILE for a local copy)');
    if (to && io.flags.out !== undefined) throw usageError('give either --out FILE or --to remote, not both');
    const config = loadBootConfig(io.flags, io.env);
    if (to) return backupToRemote(io, config, existingDataFile(config));
    if (io.flags.out === undefined) throw usageError('give --out FILE (a local copy) or --to remote (off-site). Run with --help for the usage.');
    const out = path.resolve(valueFlag(io, 'out', true)!);
    const file = existingDataFile(config);
    if (out === file) throw usageError('--out must name a new file, not the data file itself');
    // SQLite's online backup API over a read-only handle: a running server keeps writing meanwhile (WAL).
    const sqlite = openSqlite(file, { readonly: true });
    let bytes: number;
    try {
      ({ bytes } = await backupTo(sqlite, out));
    } finally {
      sqlite.close();
    }
    const { version } = verifyDataFile(out);
    io.stdout.write(`backup: ${out} (${bytes} bytes, schema ${version})\n`);
    io.stderr.write(`The master key is not in the backup: keep ${config.masterKey ? 'HABAR_MASTER_KEY' : config.masterKeyFile} backed up separately; a backup cannot be opened without it.\n`);
    return 0;
  },
};
