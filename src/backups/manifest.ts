import { AppError } from '../lib/errors.ts';

/**
 * What travels beside each encrypted backup, readable without the key: when, which schema, the
 * data file's size and sha256, the encrypted object's size and sha256, the master key's id, and
 * each table's row count (the drill compares them). Nothing about any client.
 */
export interface Manifest {
  format: 'habar-backup/1';
  time: string;
  schema_version: number;
  size: number;
  sha256: string;
  object_size: number;
  object_sha256: string;
  master_key_id: string;
  tables: Record<string, number>;
}

const STAMP = /habar-(\d{8}T\d{6}Z)\.(db\.enc|manifest\.json)$/;

/** `20261204T230000Z` for a time (seconds precision, UTC). */
export const stampOf = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const timeOfStamp = (s: string) => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);

const base = (prefix: string, stamp: string) => `${prefix ? `${prefix}/` : ''}habar-${stamp}`;
/** `<prefix>/habar-<stamp>.db.enc` */
export const objectKeyOf = (prefix: string, stamp: string) => `${base(prefix, stamp)}.db.enc`;
/** `<prefix>/habar-<stamp>.manifest.json` */
export const manifestKeyOf = (prefix: string, stamp: string) => `${base(prefix, stamp)}.manifest.json`;
export const listPrefixOf = (prefix: string) => `${prefix ? `${prefix}/` : ''}habar-`;

export interface RemoteBackup { stamp: string; time: Date; objectKey: string; manifestKey: string; complete: boolean; objectBytes: number }

/** The backups under a prefix, newest first; `complete` when both the object and its manifest are there. */
export function groupBackups(prefix: string, keys: Array<{ key: string; size: number }>): RemoteBackup[] {
  const byStamp = new Map<string, { object?: number; manifest?: boolean }>();
  for (const { key, size } of keys) {
    const m = key.slice(prefix ? prefix.length + 1 : 0).match(STAMP);
    if (!m || key !== (m[2] === 'db.enc' ? objectKeyOf(prefix, m[1]) : manifestKeyOf(prefix, m[1]))) continue;
    const e = byStamp.get(m[1]) ?? {};
    if (m[2] === 'db.enc') e.object = size;
    else e.manifest = true;
    byStamp.set(m[1], e);
  }
  return [...byStamp].sort(([a], [b]) => b.localeCompare(a)).map(([stamp, e]) => ({
    stamp, time: timeOfStamp(stamp), objectKey: objectKeyOf(prefix, stamp), manifestKey: manifestKeyOf(prefix, stamp),
    complete: e.object !== undefined && !!e.manifest, objectBytes: e.object ?? 0,
  }));
}

export function parseManifest(text: string, key: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new AppError('backup_manifest_invalid', `${key} is not a valid manifest (not JSON). Nothing was restored.`, 1);
  }
  const ok = m && m.format === 'habar-backup/1' && typeof m.sha256 === 'string' && typeof m.object_sha256 === 'string'
    && Number.isInteger(m.schema_version) && Number.isInteger(m.object_size) && typeof m.master_key_id === 'string' && m.tables && typeof m.tables === 'object';
  if (!ok) throw new AppError('backup_manifest_invalid', `${key} is not a Habar backup manifest. Nothing was restored.`, 1);
  return m;
}
