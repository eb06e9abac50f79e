import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { BootConfig } from '../config/boot-config.ts';
import { DB_FILE, openFileReadonly, type DB } from '../db/index.ts';
import { readMasterKey, Vault } from '../vault/index.ts';
import { parseSettingValue } from '../settings/index.ts';
import { DEFAULT_KEEP, DEFAULT_KEEP_DAYS, readRemoteSettings, REMOTE_KEYS, targetOf, type RemoteSettings, type RemoteTarget } from '../backups/index.ts';
import { AppError, isAppError } from '../lib/errors.ts';
import type { CliIo } from './commands.ts';
import { usageError, valueFlag } from './options.ts';

/** The flags that name the off-site target (they override stored settings; the keys come from the environment only). */
export const REMOTE_FLAGS = ['remote-endpoint', 'remote-region', 'remote-bucket', 'remote-prefix'] as const;
export const ACCESS_KEY_ENV = 'HABAR_BACKUP_REMOTE_ACCESS_KEY';
export const SECRET_KEY_ENV = 'HABAR_BACKUP_REMOTE_SECRET_KEY';

/** The master key from <data-dir>/master.key, --master-key-file or HABAR_MASTER_KEY: a missing key is an error, never a new key. */
export function requireMasterKey(config: Readonly<BootConfig>): Buffer {
  const key = readMasterKey({ envKey: config.masterKey, file: config.masterKeyFile });
  if (!key) {
    throw new AppError('master_key_missing', `There is no master key at ${config.masterKeyFile}. Give the key that made the backups with --master-key-file FILE or HABAR_MASTER_KEY; remote backups cannot be read without it.`, 1);
  }
  return key;
}

async function storedSettings(file: string, masterKey: Buffer): Promise<RemoteSettings> {
  const opened = openFileReadonly(file);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: opened.sqlite }) });
  try {
    return await readRemoteSettings(db, new Vault(masterKey));
  } finally {
    await db.destroy().catch(() => undefined);
    opened.close();
  }
}

/**
 * The off-site settings for a CLI command: the data dir's stored settings (when it has a data file
 * the key opens), overridden by --remote-* flags and the HABAR_BACKUP_REMOTE_* keys. `lenient`
 * (restore) tolerates a data file that cannot be read: the flags must then say it all.
 */
export async function remoteSettingsForCli(io: CliIo, config: Readonly<BootConfig>, masterKey: Buffer, lenient: boolean): Promise<RemoteSettings> {
  const file = path.join(config.dataDir, DB_FILE);
  let s: RemoteSettings = { enabled: false, inKazakhstan: false, keep: DEFAULT_KEEP, keepDays: DEFAULT_KEEP_DAYS, prefix: '' };
  if (fs.existsSync(file)) {
    try {
      s = await storedSettings(file, masterKey);
    } catch (err) {
      if (!lenient) throw isAppError(err) ? err : new AppError('remote_settings', `Cannot read the off-site settings from ${file}: ${(err as Error).message}`, 1);
    }
  }
  const flag = (name: (typeof REMOTE_FLAGS)[number], key: string) => {
    const v = valueFlag(io, name);
    if (v === undefined) return undefined;
    try {
      return parseSettingValue(key, v);
    } catch (err) {
      throw usageError(`--${name}: ${(err as Error).message.replace(`${key}: `, '')}`);
    }
  };
  const endpoint = flag('remote-endpoint', REMOTE_KEYS.endpoint);
  const region = flag('remote-region', REMOTE_KEYS.region);
  const bucket = flag('remote-bucket', REMOTE_KEYS.bucket);
  const prefix = flag('remote-prefix', REMOTE_KEYS.prefix);
  return {
    ...s,
    ...(endpoint !== undefined ? { endpoint } : {}), ...(region !== undefined ? { region } : {}),
    ...(bucket !== undefined ? { bucket } : {}), ...(prefix !== undefined ? { prefix } : {}),
    ...(io.env[ACCESS_KEY_ENV] ? { accessKey: io.env[ACCESS_KEY_ENV] } : {}),
    ...(io.env[SECRET_KEY_ENV] ? { secretKey: io.env[SECRET_KEY_ENV] } : {}),
  };
}

/** Prints a progress line on stderr as the upload goes (at most one a second). */
export function progressLine(io: CliIo, verb: string): (sent: number, total: number) => void {
  let last = 0;
  return (sent, total) => {
    if (Date.now() - last < 1000) return;
    last = Date.now();
    io.stderr.write(`${verb}: ${(sent / 1048576).toFixed(1)} MB sent (data file ${(total / 1048576).toFixed(1)} MB)\n`);
  };
}

/** The target, or an error that also names the command line's way to give it. */
export function cliTarget(s: RemoteSettings): RemoteTarget {
  try {
    return targetOf(s);
  } catch (err) {
    throw new AppError('remote_not_configured', `${(err as Error).message} (or give --remote-endpoint and --remote-bucket, and the keys in ${ACCESS_KEY_ENV} and ${SECRET_KEY_ENV})`, 1);
  }
}
