import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { getSetting, storedSettings } from '../settings/index.ts';
import { AppError } from '../lib/errors.ts';

/** Where off-site backups go: an S3-compatible bucket (the endpoint may be a MinIO on loopback). */
export interface RemoteTarget {
  endpoint: string;
  region: string;
  bucket: string;
  /** No trailing slash; '' puts the objects at the bucket's top. */
  prefix: string;
  accessKey: string;
  secretKey: string;
}

/** The `backup.remote.*` settings, read together. */
export interface RemoteSettings extends Partial<RemoteTarget> {
  enabled: boolean;
  inKazakhstan: boolean;
  exception?: string;
  keep: number;
  keepDays: number;
}

export const REMOTE_KEYS = {
  endpoint: 'backup.remote.endpoint', region: 'backup.remote.region', bucket: 'backup.remote.bucket', prefix: 'backup.remote.prefix',
  accessKey: 'backup.remote.access_key', secretKey: 'backup.remote.secret_key', inKazakhstan: 'backup.remote.in_kazakhstan',
  exception: 'backup.remote.exception', keep: 'backup.remote.keep', keepDays: 'backup.remote.keep_days', enabled: 'backup.remote.enabled',
} as const;

export const DEFAULT_KEEP = 7;
export const DEFAULT_KEEP_DAYS = 30;

/** Builds the settings from raw values (`get` reads one key; unset is undefined). */
export async function remoteSettingsFrom(get: (key: string) => Promise<string | undefined> | string | undefined): Promise<RemoteSettings> {
  const v = async (k: keyof typeof REMOTE_KEYS) => (await get(REMOTE_KEYS[k])) || undefined;
  return {
    endpoint: await v('endpoint'), region: await v('region'), bucket: await v('bucket'), prefix: (await v('prefix')) ?? '',
    accessKey: await v('accessKey'), secretKey: await v('secretKey'),
    enabled: (await v('enabled')) === 'true', inKazakhstan: (await v('inKazakhstan')) === 'true', exception: await v('exception'),
    keep: Number((await v('keep')) ?? DEFAULT_KEEP), keepDays: Number((await v('keepDays')) ?? DEFAULT_KEEP_DAYS),
  };
}

/** The stored settings in one query; only a sealed value (the secret key) is read again to be opened. */
export async function readRemoteSettings(db: Db, vault: Vault): Promise<RemoteSettings> {
  const stored = await storedSettings(db, Object.values(REMOTE_KEYS));
  return remoteSettingsFrom((k) => (stored.has(k) && stored.get(k) === undefined ? getSetting(db, vault, k) : stored.get(k)));
}

/** The target, or a clear error naming what is missing. */
export function targetOf(s: Partial<RemoteTarget>): RemoteTarget {
  const missing = (['endpoint', 'bucket', 'accessKey', 'secretKey'] as const).filter((k) => !s[k]);
  if (missing.length) {
    const names = missing.map((k) => REMOTE_KEYS[k]).join(', ');
    throw new AppError('remote_not_configured', `Off-site backups are not configured: set ${names}`, 400);
  }
  return { endpoint: s.endpoint!, region: s.region ?? '', bucket: s.bucket!, prefix: s.prefix ?? '', accessKey: s.accessKey!, secretKey: s.secretKey! };
}

/**
 * The promise of §5.1: data stays in Kazakhstan unless the operator records why not. Storage
 * outside the country (in_kazakhstan not true) needs an exception text.
 */
export function locationRefusal(s: Pick<RemoteSettings, 'inKazakhstan' | 'exception'>): string | undefined {
  if (s.inKazakhstan || s.exception?.trim()) return undefined;
  return `Off-site backups go only to storage in Kazakhstan: set ${REMOTE_KEYS.inKazakhstan} to true, or record the reason for storage abroad in ${REMOTE_KEYS.exception}`;
}
