import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../lib/errors.ts';

export interface KeySource {
  /** HABAR_MASTER_KEY, if set (64 hex chars or base64 of 32 bytes). */
  envKey?: string;
  /** The key file path (default <data-dir>/master.key). */
  file: string;
}

const keyError = (message: string) => new AppError('master_key', message, 2);

export function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  if (b.length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(t)) return b;
  throw keyError(`${where} does not hold a valid master key (expected 64 hex characters or the base64 of 32 bytes)`);
}

/** Reads the master key, or undefined when neither the environment nor the file has one. */
export function readMasterKey(src: KeySource): Buffer | undefined {
  if (src.envKey) return parseKey(src.envKey, 'HABAR_MASTER_KEY');
  if (!fs.existsSync(src.file)) return undefined;
  return parseKey(fs.readFileSync(src.file, 'utf8'), src.file);
}

/** Writes a key file with mode 0600, atomically (temp file + rename). */
export function writeKeyFile(file: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, key.toString('hex') + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export const generateKey = () => randomBytes(32);
