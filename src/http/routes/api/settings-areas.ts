import { SETTINGS, getSetting, hasSetting, parseSettingValue, settingKind, type SettingSpec } from '../../../settings/index.ts';
import { getClient, updateClientSettings } from '../../../tenants/index.ts';
import { AppError, badRequest, notFound } from '../../../lib/errors.ts';
import type { AppContext } from '../../env.ts';

export type FieldType = 'string' | 'boolean' | 'integer' | 'array' | 'object';
type Value = string | number | boolean | null;

/** One field of a settings area as the API shows it. */
export interface AreaField {
  name: string;
  type: FieldType;
  secret: boolean;
  choices?: readonly string[];
  help: string;
  /** What an unset field reads as (the value in force), when it has one. */
  default?: Value;
  /** Shown but not writable through the API. */
  readOnly?: boolean;
  read(ctx: AppContext, clientId: string): Promise<Value>;
  /** Validates without storing (so a PUT changes all fields or none). */
  check(value: Value, clientId: string): void;
  /** What storing the value changes: a registered setting (null clears it) or the client's time zone. */
  change(value: Value): { setting: string; value: string | null } | { timezone: string };
}

/** What the API lists about a field (GET /api/v1/settings). */
export type FieldInfo = Pick<AreaField, 'name' | 'type' | 'secret' | 'choices' | 'help' | 'default' | 'readOnly'>;

/** Who changes settings through the API (for the audit log). */
export interface SettingsActor { id: string | null; label: string; ip: string }

/**
 * A settings area (one per screen): GET /api/v1/settings/{name} reads it, PUT changes the fields
 * present (all or none; unknown fields refused by name; a secret shows as <name>_set, null clears).
 */
export interface SettingsArea {
  name: string;
  fields: FieldInfo[];
  read(ctx: AppContext, clientId: string): Promise<Record<string, unknown>>;
  write(ctx: AppContext, clientId: string, body: Record<string, unknown>, actor: SettingsActor): Promise<void>;
}

/** A setting's parse error in the API's vocabulary: too_long for a long text, invalid_field for any other bad value. */
function apiCode(err: AppError): string {
  const reason = err.params?.reason ?? err.code;
  return reason === 'setting_too_long' ? 'too_long' : 'invalid_field';
}

// The value type from the spec's kind (secrets are text).
function typeOf(spec: SettingSpec): FieldType {
  const kind = settingKind({ ...spec, secret: false });
  return kind === 'boolean' || kind === 'integer' ? kind : 'string';
}

function asText(type: FieldType, name: string, value: Value): string {
  const ok = type === 'boolean' ? typeof value === 'boolean' : type === 'integer' ? Number.isInteger(value) : typeof value === 'string';
  if (!ok) throw badRequest(`${name} must be ${type === 'integer' ? 'a whole number' : `a ${type}`} (or null to clear it)`, name, 'invalid_field');
  return String(value);
}

const typed = (type: FieldType, v: string): Value => (type === 'boolean' ? v === 'true' : type === 'integer' ? Number(v) : v);

function fromSpec(spec: SettingSpec, name: string): AreaField {
  const type = typeOf(spec);
  const fallback = spec.default === undefined ? null : typed(type, spec.default);
  const rethrow = (err: unknown): never => {
    if (err instanceof AppError && err.status === 400) throw badRequest(err.message.replace(`${spec.key}: `, `${name}: `), name, apiCode(err));
    throw err;
  };
  return {
    name, type, secret: !!spec.secret, choices: type === 'boolean' ? undefined : spec.choices, help: spec.help,
    ...(fallback === null || spec.secret ? {} : { default: fallback }),
    async read(ctx, clientId) {
      if (spec.secret) return hasSetting(ctx.db, spec.key, clientId);
      const v = await getSetting(ctx.db, ctx.vault, spec.key, clientId);
      return v === undefined ? fallback : typed(type, v);
    },
    check(value, clientId) {
      if (value === null) return;
      try { parseSettingValue(spec.key, asText(type, name, value), clientId); } catch (err) { rethrow(err); }
    },
    change(value) {
      return { setting: spec.key, value: value === null ? null : asText(type, name, value) };
    },
  };
}

/** Fields kept outside the settings table (on the client itself), by area. */
const EXTRA: Record<string, AreaField[]> = {
  general: [{
    name: 'timezone', type: 'string', secret: false, help: 'The client’s time zone (IANA name, e.g. Asia/Almaty): times in the UI and working hours follow it',
    async read(ctx, clientId) { return (await getClient(ctx.db, clientId)).timezone; },
    check(value) {
      if (typeof value !== 'string') throw badRequest('timezone must be a string such as Asia/Almaty', 'timezone', 'invalid_field');
    },
    change(value) {
      return { timezone: value as string };
    },
  }],
};

/** URL name of an area: the setting key's first part, kebab-case ("auto_reply.enabled" → auto-reply). */
const areaName = (key: string) => key.split('.')[0].replaceAll('_', '-');
const fieldName = (key: string) => key.split('.').slice(1).join('_');

/** An area made of fields (registered settings and extras): reads and writes them one by one. */
function fieldArea(name: string, fields: AreaField[]): SettingsArea {
  return {
    name, fields,
    async read(ctx, clientId) {
      const out: Record<string, Value> = {};
      for (const f of fields) out[f.secret ? `${f.name}_set` : f.name] = await f.read(ctx, clientId);
      return out;
    },
    async write(ctx, clientId, body, actor) {
      const settings: Record<string, string | null> = {};
      let timezone: string | undefined;
      for (const [key, value] of Object.entries(body)) {
        const f = fields.find((x) => x.name === key);
        if (!f) throw badRequest(`Unknown field "${key}"${key.endsWith('_set') ? ' (secrets are written by their own name)' : ''}`, key, 'unknown_field');
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) throw badRequest(`${key} must be a ${f.type} or null`, key, 'invalid_field');
        if (value === null && f.name === 'timezone') throw badRequest('timezone cannot be cleared', key, 'invalid_field');
        f.check(value as Value, clientId);
        const change = f.change(value as Value);
        if ('timezone' in change) timezone = change.timezone;
        else settings[change.setting] = change.value;
      }
      await updateClientSettings(ctx.db, ctx.vault, ctx.clock, clientId, { settings, timezone }, actor);
    },
  };
}

/**
 * Areas whose settings live in a room's own table (not the settings registry). A room whose
 * screen keeps its settings elsewhere adds its area here, so the API reaches it too.
 */
export const CUSTOM_SETTINGS_AREAS: SettingsArea[] = [];

/** Every client settings area: registered client-scope settings grouped by key prefix, the extras, and custom areas. */
export function settingsAreas(): SettingsArea[] {
  const grouped = new Map<string, AreaField[]>();
  for (const [name, fields] of Object.entries(EXTRA)) grouped.set(name, [...fields]);
  for (const spec of SETTINGS) {
    if (spec.scope !== 'client') continue;
    const area = areaName(spec.key);
    if (!grouped.has(area)) grouped.set(area, []);
    grouped.get(area)!.push(fromSpec(spec, fieldName(spec.key)));
  }
  const areas = [...grouped].map(([name, fields]) => fieldArea(name, fields));
  return [...areas, ...CUSTOM_SETTINGS_AREAS].sort((a, b) => a.name.localeCompare(b.name));
}

export function findArea(name: string): SettingsArea {
  const area = settingsAreas().find((a) => a.name === name);
  if (!area) throw notFound(`No settings area "${name}"`);
  return area;
}
