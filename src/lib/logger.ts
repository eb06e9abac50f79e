/** Log categories: a closed list (CONVENTIONS.md). */
export type LogCategory = 'http' | 'channel' | 'jobs' | 'ai' | 'chatwoot' | 'privacy' | 'billing' | 'lifecycle' | 'auth' | 'audit';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, category: LogCategory, msg: string, fields?: Record<string, unknown>): void;
  debug(category: LogCategory, msg: string, fields?: Record<string, unknown>): void;
  info(category: LogCategory, msg: string, fields?: Record<string, unknown>): void;
  warn(category: LogCategory, msg: string, fields?: Record<string, unknown>): void;
  error(category: LogCategory, msg: string, fields?: Record<string, unknown>): void;
}

// Field names whose values never reach a log line in plain text.
const SECRET_KEYS = /pass|secret|token|key|authorization|cookie|text|body|phone|email|otp|totp/i;

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) out[k] = v.message;
    else if (SECRET_KEYS.test(k) && !/_id$|^id$|_set$|count$|length$/.test(k)) out[k] = '[redacted]';
    else out[k] = v;
  }
  return out;
}

/** JSON lines to a sink (stderr by default). Secret-looking fields are redacted. */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LEVELS[level];
  const log = (lvl: LogLevel, category: LogCategory, msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[lvl] < min) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, category, msg, ...scrub(fields) }) + '\n');
  };
  return {
    log,
    debug: (c, m, f) => log('debug', c, m, f),
    info: (c, m, f) => log('info', c, m, f),
    warn: (c, m, f) => log('warn', c, m, f),
    error: (c, m, f) => log('error', c, m, f),
  };
}

export const silentLogger: Logger = createLogger('error', () => {});
