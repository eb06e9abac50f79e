import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { AppError, badRequest } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { settingSpec } from './registry.ts';

const CONTEXT = 'settings.value';
const GLOBAL = '';

/** Reads a setting (opened when sealed); undefined when unset. Read fresh each time, so a running server sees CLI changes. */
export async function getSetting(db: Db, vault: Vault, key: string, clientId: string | null = null): Promise<string | undefined> {
  const r = await db.selectFrom('settings').select(['value', 'sealed']).where('client_id', '=', clientId ?? GLOBAL).where('key', '=', key).executeTakeFirst();
  if (!r) return undefined;
  return r.sealed ? vault.open(r.value, CONTEXT) : r.value;
}

/** Whether a setting has a value, without opening it (for write-only secrets: `<name>_set`). */
export async function hasSetting(db: Db, key: string, clientId: string | null = null): Promise<boolean> {
  return !!(await db.selectFrom('settings').select('key').where('client_id', '=', clientId ?? GLOBAL).where('key', '=', key).executeTakeFirst());
}

/**
 * Which of `keys` are set in this scope, in one query: key → its value, or undefined for a sealed
 * one (secrets are write-only: never opened for a form). Absent keys are unset.
 */
export async function storedSettings(db: Db, keys: string[], clientId: string | null = null): Promise<Map<string, string | undefined>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('settings').select(['key', 'value', 'sealed']).where('client_id', '=', clientId ?? GLOBAL).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, r.sealed ? undefined : r.value]));
}

/** Validates a value for a registered setting (scope checked); returns it normalised or throws a field error named by the key. */
export function parseSettingValue(key: string, value: string, clientId: string | null = null): string {
  const spec = settingSpec(key);
  if (!spec) throw badRequest(`Unknown setting "${key}"`, key, 'unknown_setting');
  if ((spec.scope === 'client') !== (clientId !== null)) throw badRequest(`"${key}" is a ${spec.scope} setting`, key);
  try {
    return spec.parse(value);
  } catch (err) {
    // The code stays invalid_setting (the API's contract); the parser's own code and params ride along for a translated message.
    if (err instanceof AppError) throw badRequest(`${key}: ${err.message}`, key, 'invalid_setting', { reason: err.code, ...err.params });
    throw err;
  }
}

/** Validates and stores a registered setting; secrets are sealed; null clears it. */
export async function setSetting(db: Db, vault: Vault, clock: Clock, key: string, value: string | null, clientId: string | null = null): Promise<void> {
  const spec = settingSpec(key);
  if (!spec) throw badRequest(`Unknown setting "${key}"`, key, 'unknown_setting');
  if ((spec.scope === 'client') !== (clientId !== null)) throw badRequest(`"${key}" is a ${spec.scope} setting`, key);
  const scope = clientId ?? GLOBAL;
  if (value === null) {
    await db.deleteFrom('settings').where('client_id', '=', scope).where('key', '=', key).execute();
    return;
  }
  const parsed = parseSettingValue(key, value, clientId);
  const stored = spec.secret ? vault.seal(parsed, CONTEXT) : parsed;
  const now = clock.now().toISOString();
  await db.insertInto('settings').values({ client_id: scope, key, value: stored, sealed: spec.secret ? 1 : 0, updated_at: now })
    .onConflict((oc) => oc.columns(['client_id', 'key']).doUpdateSet({ value: stored, sealed: spec.secret ? 1 : 0, updated_at: now })).execute();
}

/** A change to settings as a guard sees it: `after` reads a key as it will be once the change is stored. */
export interface SettingsChange {
  changes: Record<string, string | null>;
  clientId: string | null;
  after(key: string): Promise<string | undefined>;
}

/**
 * A rule over a whole change, run before anything is stored (e.g. checking a connection the new
 * values describe); it throws a field error to refuse, which changes nothing. Rooms register
 * theirs in SETTINGS_GUARDS (src/pipeline.ts).
 */
export type SettingsGuard = (change: SettingsChange) => Promise<void>;

/**
 * The settings change of the UI, the API and the CLI: stores several settings at once, all or none
 * (each value validated first; null clears), and records `settings.updated` with the keys, never the
 * values (some are secrets). `clientId` null is the install-wide scope. `also` runs in the same
 * transaction and names further changed fields for the audit row (a client's time zone). `guards`
 * run after validation and before the transaction; one that throws refuses the whole change.
 */
export async function setSettings(
  db: Db, vault: Vault, clock: Clock, changes: Record<string, string | null>, clientId: string | null, by: AuditBy,
  also?: (trx: Db) => Promise<string[]>, guards: readonly SettingsGuard[] = [],
): Promise<void> {
  const parsed = new Map<string, string | null>();
  for (const [key, value] of Object.entries(changes)) parsed.set(key, value === null ? null : parseSettingValue(key, value, clientId));
  const after = async (key: string) => (parsed.has(key) ? parsed.get(key) ?? undefined : getSetting(db, vault, key, clientId));
  for (const guard of guards) await guard({ changes, clientId, after });
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of Object.entries(changes)) await setSetting(trx, vault, clock, key, value, clientId);
    const keys = [...Object.keys(changes), ...(also ? await also(trx) : [])];
    await recordAudit(trx, clock, {
      actor: by, action: 'settings.updated', clientId, ip: by.ip, details: { keys },
      ...(clientId ? { targetType: 'client', targetId: clientId } : {}),
    });
  });
}
