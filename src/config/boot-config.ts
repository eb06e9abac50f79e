import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../lib/errors.ts';
import type { LogLevel } from '../lib/logger.ts';

/** Boot configuration: flags > HABAR_* environment > defaults. Validated once, frozen. */
export interface BootConfig {
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  /** Whether --public-url was given (otherwise it follows the listening address). */
  publicUrlExplicit: boolean;
  tlsCert?: string;
  tlsKey?: string;
  trustProxy: boolean;
  masterKey?: string;
  masterKeyFile: string;
  logLevel: LogLevel;
  backupIntervalHours: number;
  backupKeep: number;
  workers: boolean;
  /** Bearer token /metrics requires; with it, per-client usage series are included. */
  metricsToken?: string;
}

interface OptionSpec {
  flag: string;
  env: string;
  help: string;
  def: string | undefined;
  secret?: boolean;
  flagAllowed?: boolean;
}

/** Every boot option, in one table (the README's table is checked against this list). */
export const BOOT_OPTIONS: OptionSpec[] = [
  { flag: 'data-dir', env: 'HABAR_DATA_DIR', def: './data', help: 'Folder holding habar.db, backups/ and attachments' },
  { flag: 'host', env: 'HABAR_HOST', def: '127.0.0.1', help: 'Address to listen on (0.0.0.0 for all interfaces)' },
  { flag: 'port', env: 'HABAR_PORT', def: '8080', help: 'TCP port (0 picks a free one)' },
  { flag: 'public-url', env: 'HABAR_PUBLIC_URL', def: undefined, help: 'Address the outside world uses; every link and callback is built from it (default: the listening URL)' },
  { flag: 'tls-cert', env: 'HABAR_TLS_CERT', def: undefined, help: 'PEM certificate file: serve HTTPS directly (with --tls-key)' },
  { flag: 'tls-key', env: 'HABAR_TLS_KEY', def: undefined, help: 'PEM private key file for --tls-cert' },
  { flag: 'trust-proxy', env: 'HABAR_TRUST_PROXY', def: 'false', help: 'Trust X-Forwarded-For/-Proto from a reverse proxy (nginx)' },
  { flag: 'master-key', env: 'HABAR_MASTER_KEY', def: undefined, secret: true, flagAllowed: false, help: 'Master key (64 hex chars or 44 base64 chars); environment only, never a flag' },
  { flag: 'master-key-file', env: 'HABAR_MASTER_KEY_FILE', def: undefined, help: 'Master key file (default <data-dir>/master.key, created 0600 on first start)' },
  { flag: 'log-level', env: 'HABAR_LOG_LEVEL', def: 'info', help: 'debug, info, warn or error' },
  { flag: 'backup-interval-hours', env: 'HABAR_BACKUP_INTERVAL_HOURS', def: '24', help: 'Scheduled backups into <data-dir>/backups every N hours (0 turns them off)' },
  { flag: 'backup-keep', env: 'HABAR_BACKUP_KEEP', def: '7', help: 'How many scheduled backups to keep' },
  { flag: 'workers', env: 'HABAR_WORKERS', def: 'true', help: 'Run background workers (jobs, channels) in this process' },
  { flag: 'metrics-token', env: 'HABAR_METRICS_TOKEN', def: undefined, secret: true, flagAllowed: false, help: 'Bearer token /metrics then requires; per-client usage series are shown only with it (environment only)' },
];

const configError = (message: string) => new AppError('config_invalid', message, 2);

/** Splits argv into flags (`--name value` or `--name=value`, bare `--name` = true) and positionals. */
export function parseArgs(argv: string[]): { flags: Record<string, string>; positionals: string[] } {
  const flags: Record<string, string> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[a.slice(2)] = argv[++i];
      else flags[a.slice(2)] = 'true';
    } else positionals.push(a);
  }
  return { flags, positionals };
}

function bool(name: string, v: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw configError(`${name} must be true or false (got "${v}")`);
}

function int(name: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw configError(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
  }
  return Number(v);
}

/** Builds the frozen boot config. Unknown flags among `known` are the caller's to reject. */
export function loadBootConfig(flags: Record<string, string>, env: Record<string, string | undefined>): Readonly<BootConfig> {
  const raw: Record<string, string | undefined> = {};
  for (const o of BOOT_OPTIONS) {
    if (flags[o.flag] !== undefined && o.flagAllowed === false) {
      throw configError(`--${o.flag} is not accepted on the command line (it would show in the process list); set ${o.env} instead`);
    }
    raw[o.flag] = flags[o.flag] ?? (env[o.env] || undefined) ?? o.def;
  }
  // An error names where the value came from: the flag, or else the environment variable.
  const where = (flag: string) => {
    const variable = BOOT_OPTIONS.find((o) => o.flag === flag)!.env;
    return flags[flag] === undefined && env[variable] ? variable : `--${flag}`;
  };
  const dataDir = path.resolve(raw['data-dir']!);
  const port = int(where('port'), raw.port!, 0, 65535);
  const host = raw.host!;
  const tlsCert = raw['tls-cert'];
  const tlsKey = raw['tls-key'];
  if (!!tlsCert !== !!tlsKey) throw configError('--tls-cert and --tls-key go together: give both files or neither');
  for (const [flag, file] of [['tls-cert', tlsCert], ['tls-key', tlsKey]] as const) {
    if (file && !fs.existsSync(file)) throw configError(`${where(flag)}: there is no file ${path.resolve(file)}; give the path of a PEM file`);
  }
  const logLevel = raw['log-level'] as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw configError(`${where('log-level')} must be debug, info, warn or error (got "${logLevel}")`);
  let publicUrl = raw['public-url'];
  if (publicUrl !== undefined) {
    try {
      const u = new URL(publicUrl);
      if (!/^https?:$/.test(u.protocol)) throw new Error();
      publicUrl = u.toString().replace(/\/$/, '');
    } catch {
      throw configError(`${where('public-url')} must be an http(s) URL such as https://habar.example.kz (got "${publicUrl}")`);
    }
  }
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return Object.freeze({
    dataDir,
    host,
    port,
    publicUrl: publicUrl ?? `${tlsCert ? 'https' : 'http'}://${displayHost}:${port}`,
    publicUrlExplicit: publicUrl !== undefined,
    tlsCert: tlsCert ? path.resolve(tlsCert) : undefined,
    tlsKey: tlsKey ? path.resolve(tlsKey) : undefined,
    trustProxy: bool(where('trust-proxy'), raw['trust-proxy']!),
    masterKey: raw['master-key'],
    masterKeyFile: path.resolve(raw['master-key-file'] ?? path.join(dataDir, 'master.key')),
    logLevel,
    backupIntervalHours: int(where('backup-interval-hours'), raw['backup-interval-hours']!, 0, 24 * 365),
    backupKeep: int(where('backup-keep'), raw['backup-keep']!, 1, 1000),
    workers: bool(where('workers'), raw.workers!),
    metricsToken: raw['metrics-token'] || undefined,
  });
}

/** The effective config for `doctor`, secrets masked. */
export function describeConfig(cfg: BootConfig): Record<string, string> {
  return {
    data_dir: cfg.dataDir,
    host: cfg.host,
    port: String(cfg.port),
    public_url: cfg.publicUrl,
    tls: cfg.tlsCert ? `${cfg.tlsCert} + ${cfg.tlsKey}` : 'off',
    trust_proxy: String(cfg.trustProxy),
    master_key: cfg.masterKey ? 'from HABAR_MASTER_KEY (****)' : `file ${cfg.masterKeyFile}`,
    log_level: cfg.logLevel,
    metrics: cfg.metricsToken ? 'bearer token required (****)' : 'open, per-client series left out',
    backups: cfg.backupIntervalHours ? `every ${cfg.backupIntervalHours} h, keep ${cfg.backupKeep}` : 'off',
  };
}
