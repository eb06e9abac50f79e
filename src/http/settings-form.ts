import { integerRange, parseSettingValue, settingKind, storedSettings, type SettingSpec } from '../settings/index.ts';
import { isAppError } from '../lib/errors.ts';
import type { SettingControl, SettingRow } from '../../views/setting-fields.tsx';
import type { T } from '../../views/i18n/index.ts';
import { translateCode } from './form-errors.ts';
import type { AppContext } from './env.ts';

// The settings forms (install-wide and a client's): the same controls, reading and validation for
// every registered setting, so a setting another room registers shows up with no screen code.

/**
 * The input for a setting. A boolean with a default is a checkbox (unset reads as the default);
 * one without keeps a select, so that "not set" stays expressible.
 */
export function settingControl(spec: SettingSpec): SettingControl {
  const kind = settingKind(spec);
  if (kind === 'secret') return 'password';
  if (kind === 'boolean') return spec.default !== undefined ? 'checkbox' : 'select';
  if (kind === 'integer') return 'number';
  if (kind === 'choice') return 'select';
  return kind === 'long_text' ? 'textarea' : 'text';
}

const translated = (t: T, key: string) => (t(key) === key ? undefined : t(key));

/** The rows of a settings form: `settings.label.<key>` and `settings.help.<key>` translate, else the key and the registry's help. */
export async function settingRows(ctx: AppContext, t: T, specs: SettingSpec[], clientId: string | null = null): Promise<SettingRow[]> {
  const rows: SettingRow[] = [];
  const stored = await storedSettings(ctx.db, specs.map((s) => s.key), clientId);
  for (const s of specs) {
    const isSet = stored.has(s.key);
    const control = settingControl(s);
    rows.push({
      key: s.key, label: translated(t, `settings.label.${s.key}`), help: translated(t, `settings.help.${s.key}`) ?? s.help, control, isSet,
      choices: s.choices ?? (control === 'select' && settingKind(s) === 'boolean' ? ['true', 'false'] : undefined),
      default: s.secret ? undefined : s.default,
      value: s.secret ? undefined : stored.get(s.key),
      ...integerRange(s),
    });
  }
  return rows;
}

export interface SettingsFormResult {
  /** Keys to store (null clears); empty when nothing changed. */
  changes: Record<string, string | null>;
  /** Translated inline errors by key. */
  errors: Record<string, string>;
  /** What the user sent back, to show again after an error (never secrets). */
  values: Record<string, string>;
}

/** What a posted settings form changes, validated (nothing is stored here). */
export async function readSettingsForm(ctx: AppContext, t: T, specs: SettingSpec[], f: Record<string, string>, clientId: string | null = null): Promise<SettingsFormResult> {
  const out: SettingsFormResult = { changes: {}, errors: {}, values: {} };
  const current = await storedSettings(ctx.db, specs.map((s) => s.key), clientId);
  for (const s of specs) {
    const checkbox = settingControl(s) === 'checkbox';
    // undefined: leave as stored. Secrets are write-only: an empty field keeps them, only the checkbox clears.
    let next: string | null | undefined;
    if (s.secret) next = f[`clear:${s.key}`] ? null : f[s.key] ? f[s.key] : undefined;
    else if (checkbox) next = f[`has:${s.key}`] ? (f[s.key] ? 'true' : 'false') : undefined;
    else if (f[s.key] !== undefined) next = f[s.key].trim() === '' ? null : f[s.key];
    if (next === undefined) continue;
    if (!s.secret) out.values[s.key] = next ?? '';
    const isSet = current.has(s.key);
    if (next === null) {
      if (isSet) out.changes[s.key] = null;
      continue;
    }
    try {
      const parsed = parseSettingValue(s.key, next, clientId);
      const stored = s.secret ? undefined : current.get(s.key);
      // An unset setting shown with its default stays unset (following the default) until the user changes it.
      const unchanged = isSet ? parsed === stored : parsed === s.default;
      if (s.secret || !unchanged) out.changes[s.key] = next;
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      // By code, so the message is in the user's language (the parser's reason, e.g. setting_number {min, max}).
      const reason = typeof err.params?.reason === 'string' ? err.params.reason : err.code;
      out.errors[s.key] = translateCode(t, reason, err.message, err.params);
    }
  }
  return out;
}
