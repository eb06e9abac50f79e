// Single-executable (Node SEA) helpers: embedded assets and better-sqlite3's native addon.
// Generic: imports nothing of the app. Outside a SEA every function is a harmless no-op.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Asset key of better-sqlite3's addon inside the binary (build.config.ts embeds it under this key). */
export const SQLITE_ADDON_ASSET = 'native/better_sqlite3.node';

type SeaModule = typeof import('node:sea');

// `import 'node:sea'` cannot be written statically: it exists only as `node:sea` (no bare
// `sea`), and tsx/esbuild handling of it varies. process.getBuiltinModule works the same in
// ESM under tsx and in the CommonJS bundle inside the binary.
function seaModule(): SeaModule | undefined {
  try {
    return process.getBuiltinModule('node:sea') as SeaModule | undefined;
  } catch {
    return undefined;
  }
}

export function isSea(): boolean {
  return seaModule()?.isSea() ?? false;
}

/** A copy of an embedded asset, or undefined when not in a SEA or the key is unknown. */
export function readEmbeddedAsset(key: string): Buffer | undefined {
  const sea = seaModule();
  if (!sea?.isSea()) return undefined;
  try {
    // getAsset copies; getRawAsset would hand out memory mapped from the binary that
    // crashes the process if anyone writes to it.
    return Buffer.from(sea.getAsset(key));
  } catch {
    return undefined; // getAsset throws for an unknown key
  }
}

/** Keys of embedded assets starting with `prefix` (e.g. 'public/'); [] outside a SEA. */
export function listEmbeddedAssets(prefix = ''): string[] {
  const sea = seaModule();
  if (!sea?.isSea()) return [];
  return sea.getAssetKeys().filter((key) => key.startsWith(prefix)).sort();
}

// The addon is dlopen'ed once per process: loading the same N-API addon twice in one
// environment re-runs its init and replaces its instance data, so a memo is required here.
let sqliteBinding: object | undefined;
let sqliteAddonFile: string | undefined;

/**
 * In a SEA: writes the embedded better-sqlite3 addon to `<dir>/habar-native-<uid>/<hash>.node`
 * (reused across runs while the hash matches) and returns the loaded module for
 * better-sqlite3's `nativeBinding` option. Outside a SEA: undefined (better-sqlite3 finds
 * its own prebuild). `dir` defaults to os.tmpdir(); pass another if /tmp is mounted noexec.
 */
export function loadSqliteNativeBinding(dir: string = tmpdir()): object | undefined {
  if (!isSea()) return undefined;
  if (sqliteBinding) return sqliteBinding;
  const bytes = readEmbeddedAsset(SQLITE_ADDON_ASSET);
  if (!bytes) throw new Error(`SEA binary lacks asset ${SQLITE_ADDON_ASSET}; rebuild with npm run build`);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const file = join(privateDir(dir), `better_sqlite3-${hash.slice(0, 16)}.node`);
  // Shared temp dirs are hostile: reuse an existing file only if its bytes are ours.
  if (!sameHash(file, hash)) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, bytes, { mode: 0o700 });
    renameSync(partial, file); // atomic: concurrent starts never dlopen a half-written file
  }
  const module = { exports: {} };
  process.dlopen(module, file, constants.dlopen.RTLD_NOW);
  sqliteBinding = module.exports;
  sqliteAddonFile = file;
  return sqliteBinding;
}

/** In a SEA, once loadSqliteNativeBinding ran: the addon's file, for worker threads to load too. */
export function sqliteAddonPath(): string | undefined {
  return sqliteAddonFile;
}

// A per-user 0700 directory that must be a real directory owned by us, so that another
// local user cannot plant a library or symlink where we will dlopen from.
function privateDir(base: string): string {
  const uid = process.getuid?.() ?? 0;
  const dir = join(base, `habar-native-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== uid)) {
    throw new Error(`${dir} is not a directory owned by uid ${uid}; remove it or pass another directory`);
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

function sameHash(file: string, hash: string): boolean {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex') === hash;
  } catch {
    return false;
  }
}
