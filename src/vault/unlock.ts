import fs from 'node:fs';
import type { Db } from '../db/index.ts';
import { AppError } from '../lib/errors.ts';
import { Vault, keyIdOf } from './seal.ts';
import { generateKey, readMasterKey, writeKeyFile, type KeySource } from './key-source.ts';

const CHECK_PLAINTEXT = 'habar-master-key-check';
export const CHECK_CONTEXT = 'vault_keys.check_value';

const refuse = (message: string) => new AppError('master_key', message, 2);

/**
 * Loads the master key and proves it opens this data file's key check. Creates a key (file
 * mode 0600) only when the data file has never sealed anything; with sealed rows present and
 * the key missing it refuses, since a new key could never open them.
 */
export async function unlockVault(db: Db, src: KeySource, opts: { create: boolean; now: string }): Promise<{ vault: Vault; created: boolean }> {
  const checks = await db.selectFrom('vault_keys').selectAll().where('active', '=', 1).execute();
  let key = readMasterKey(src);
  // A rotation that committed but was stopped before the key file was renamed leaves master.key.new.
  if (key && checks.length && !checks.some((c) => c.key_id === keyIdOf(key!)) && !src.envKey && fs.existsSync(`${src.file}.new`)) {
    const pending = readMasterKey({ file: `${src.file}.new` })!;
    if (checks.some((c) => c.key_id === keyIdOf(pending))) {
      fs.renameSync(`${src.file}.new`, src.file);
      key = pending;
    }
  }
  let created = false;
  if (!key) {
    if (checks.length > 0) {
      throw refuse(
        `The master key is missing (${src.envKey !== undefined ? 'HABAR_MASTER_KEY is empty' : `no file ${src.file}`}), and this data file holds sealed secrets that only that key opens. ` +
          'Restore the key file from your key backup (or set HABAR_MASTER_KEY); Habar will not make a new key over existing secrets.',
      );
    }
    if (!opts.create) throw refuse(`No master key: set HABAR_MASTER_KEY or create ${src.file} (habar serve creates one on an empty data dir)`);
    key = generateKey();
    writeKeyFile(src.file, key);
    created = true;
  }
  const vault = new Vault(key);
  if (checks.length === 0) {
    await db.insertInto('vault_keys').values({ key_id: vault.activeKeyId, check_value: vault.seal(CHECK_PLAINTEXT, CHECK_CONTEXT), active: 1, created_at: opts.now }).execute();
  } else {
    const mine = checks.find((c) => c.key_id === vault.activeKeyId);
    let ok = false;
    try {
      ok = !!mine && vault.open(mine.check_value, CHECK_CONTEXT) === CHECK_PLAINTEXT;
    } catch {
      ok = false;
    }
    if (!ok) {
      throw refuse(
        `The master key (${src.envKey ? 'HABAR_MASTER_KEY' : src.file}) does not match this data file (it expects key ${checks[0].key_id}). ` +
          'Use the key that was backed up with this data file.',
      );
    }
  }
  return { vault, created };
}

export { CHECK_PLAINTEXT };

/** Whether `key` opens this data file's key check ('unchecked': the file has none yet). Changes nothing. */
export async function checkMasterKey(db: Db, key: Buffer): Promise<'match' | 'mismatch' | 'unchecked'> {
  const checks = await db.selectFrom('vault_keys').selectAll().where('active', '=', 1).execute();
  if (checks.length === 0) return 'unchecked';
  const vault = new Vault(key);
  const mine = checks.find((c) => c.key_id === vault.activeKeyId);
  try {
    return mine && vault.open(mine.check_value, CHECK_CONTEXT) === CHECK_PLAINTEXT ? 'match' : 'mismatch';
  } catch {
    return 'mismatch';
  }
}
