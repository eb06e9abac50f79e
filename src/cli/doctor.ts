import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { describeConfig, loadBootConfig, type BootConfig } from '../config/boot-config.ts';
import { currentVersion, DB_FILE, latestVersion, openSqlite, type DB } from '../db/index.ts';
import { checkMasterKey, keyIdOf, readMasterKey } from '../vault/index.ts';
import { whatsappSelfCheck } from '../channels/index.ts';
import { storedSettings } from '../settings/index.ts';
import { DRILL_STALE_MS, lastRun, REMOTE_KEYS } from '../backups/index.ts';
import type { Command } from './commands.ts';
import { pidNote, runningServer } from './serve.ts';
import { noMorePositionals } from './options.ts';

interface Check {
  ok: boolean;
  what: string;
  detail: string;
}

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0');
const private_ = (file: string) => (fs.statSync(file).mode & 0o077) === 0;

function fileChecks(cfg: Readonly<BootConfig>): Check[] {
  const out: Check[] = [];
  if (!fs.existsSync(cfg.dataDir)) return [{ ok: false, what: 'data dir', detail: `${cfg.dataDir} does not exist; check --data-dir, or run "habar serve" once to create it` }];
  out.push(private_(cfg.dataDir)
    ? { ok: true, what: 'data dir', detail: `${cfg.dataDir} (mode ${mode(cfg.dataDir)})` }
    : { ok: false, what: 'data dir', detail: `${cfg.dataDir} is open to other users of this machine (mode ${mode(cfg.dataDir)}): run chmod 700 ${cfg.dataDir}` });
  if (!cfg.masterKey && fs.existsSync(cfg.masterKeyFile) && !private_(cfg.masterKeyFile)) {
    out.push({ ok: false, what: 'key file', detail: `${cfg.masterKeyFile} is readable by others (mode ${mode(cfg.masterKeyFile)}): run chmod 600 ${cfg.masterKeyFile}` });
  }
  return out;
}

async function dataChecks(cfg: Readonly<BootConfig>): Promise<Check[]> {
  const file = path.join(cfg.dataDir, DB_FILE);
  if (!fs.existsSync(file)) return [{ ok: false, what: 'data file', detail: `no ${DB_FILE} in ${cfg.dataDir}; run "habar serve" once to create it, or restore a backup` }];
  const out: Check[] = [];
  let db: Kysely<DB> | undefined;
  try {
    const sqlite = openSqlite(file);
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    const integrity = String(sqlite.pragma('integrity_check', { simple: true }));
    out.push({ ok: integrity === 'ok', what: 'integrity', detail: integrity === 'ok' ? `${file}: ok` : `${file}: ${integrity}; restore the newest good backup (habar restore)` });
    const version = await currentVersion(db);
    const known = latestVersion();
    out.push(version > known
      ? { ok: false, what: 'schema', detail: `version ${version} is newer than this Habar knows (${known}); run the newer Habar that wrote it` }
      : { ok: true, what: 'schema', detail: version === known ? `version ${version} (current)` : `version ${version}; the next start migrates it to ${known} after a backup` });
    out.push(await keyCheck(cfg, db));
    const remote = await remoteCheck(db);
    if (remote) out.push(remote);
  } catch (err) {
    out.push({ ok: false, what: 'data file', detail: `${file} cannot be read: ${(err as Error).message}` });
  } finally {
    await db?.destroy();
  }
  return out;
}

/** Off-site backups, when on: the last upload and the last restore drill that passed (two weeks old is a problem). */
async function remoteCheck(db: Kysely<DB>): Promise<Check | undefined> {
  const enabled = await storedSettings(db, [REMOTE_KEYS.enabled]).catch(() => undefined);
  if (enabled?.get(REMOTE_KEYS.enabled) !== 'true') return undefined;
  const [upload, drill] = await Promise.all([lastRun(db, 'upload', 'ok'), lastRun(db, 'drill', 'ok')]).catch(() => [undefined, undefined]);
  const stale = !drill?.finishedAt || Date.now() - Date.parse(drill.finishedAt) > DRILL_STALE_MS;
  const detail = `last upload ${upload?.finishedAt ?? 'none yet'}; last restore drill passed ${drill?.finishedAt ?? 'never'}`;
  return { ok: !upload || !stale, what: 'off-site backups', detail: !upload || !stale ? detail : `${detail}: no drill has passed for two weeks; see the dashboard` };
}

async function keyCheck(cfg: Readonly<BootConfig>, db: Kysely<DB>): Promise<Check> {
  const where = cfg.masterKey ? 'HABAR_MASTER_KEY' : cfg.masterKeyFile;
  let key: Buffer | undefined;
  try {
    key = readMasterKey({ envKey: cfg.masterKey, file: cfg.masterKeyFile });
  } catch (err) {
    return { ok: false, what: 'master key', detail: (err as Error).message };
  }
  const sealed = await db.selectFrom('vault_keys').select('key_id').executeTakeFirst().catch(() => undefined);
  if (!key) {
    return sealed
      ? { ok: false, what: 'master key', detail: `missing (${where}); this data file holds sealed secrets: restore the key from your key backup` }
      : { ok: true, what: 'master key', detail: `none yet; "habar serve" creates ${cfg.masterKeyFile}` };
  }
  const status = await checkMasterKey(db, key);
  if (status === 'mismatch') return { ok: false, what: 'master key', detail: `${where} (key id ${keyIdOf(key)}) does not open this data file (it expects key ${sealed?.key_id}); use the key backed up with it` };
  return { ok: true, what: 'master key', detail: `${where}, key id ${keyIdOf(key)}${status === 'match' ? ', opens this data file' : ''}` };
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check the configuration, master key, schema, data file integrity and permissions, and that the connectors load',
  usage: 'habar doctor [--data-dir DIR] [other options as for serve]',
  async run(io) {
    noMorePositionals(io, 0);
    const cfg = loadBootConfig(io.flags, io.env);
    const lines = ['Effective configuration (flags > HABAR_* environment > defaults; secrets masked):'];
    for (const [k, v] of Object.entries(describeConfig(cfg))) lines.push(`  ${k.padEnd(14)} ${v}`);
    const server = runningServer(cfg.dataDir);
    lines.push(`  ${'server'.padEnd(14)} ${server ? `running ${pidNote(server)}`.trim() : 'not running'}`);
    const checks = [...fileChecks(cfg), ...(fs.existsSync(cfg.dataDir) ? await dataChecks(cfg) : []), { what: 'whatsapp', ...(await whatsappSelfCheck()) }];
    lines.push('', 'Checks:');
    for (const c of checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.what.padEnd(11)} ${c.detail}`);
    const failed = checks.filter((c) => !c.ok).length;
    lines.push('', failed ? `doctor: ${failed} problem${failed === 1 ? '' : 's'} found` : 'doctor: all checks passed');
    io.stdout.write(lines.join('\n') + '\n');
    return failed ? 1 : 0;
  },
};
