import type { SettingSpec } from './registry.ts';

/** What kind of value a setting holds, as forms and the API present it. */
export type SettingKind = 'secret' | 'boolean' | 'integer' | 'choice' | 'long_text' | 'text';

/** Text settings that accept more than this many characters are long text (a textarea). */
const LONG_TEXT = 255;

const probe = (spec: SettingSpec, v: string) => {
  try { return spec.parse(v); } catch { return undefined; }
};

/**
 * The kind of a setting, from its spec alone (so a setting another room registers gets the
 * right control without naming one): choices true/false or a parser taking yes/no is a boolean;
 * a parser that drops leading zeros ("0010" → "10") and refuses words is an integer; other
 * choices are a choice; text longer than 255 characters is long text.
 */
export function settingKind(spec: SettingSpec): SettingKind {
  if (spec.secret) return 'secret';
  if (spec.choices?.length === 2 && spec.choices.includes('true') && spec.choices.includes('false')) return 'boolean';
  if (probe(spec, 'yes') === 'true' && probe(spec, 'no') === 'false') return 'boolean';
  if (probe(spec, 'x') === undefined && ['0001', '0010', '0100', '1000', '10000'].some((n) => probe(spec, n) === String(Number(n)))) return 'integer';
  if (spec.choices?.length) return 'choice';
  if (probe(spec, 'x'.repeat(LONG_TEXT + 1)) !== undefined) return 'long_text';
  return 'text';
}

/**
 * An integer setting's allowed range, as its parser reports it when it refuses a word
 * (`setting_number` with {min, max}); undefined for other kinds or a parser that says no range.
 */
export function integerRange(spec: SettingSpec): { min: number; max: number } | undefined {
  if (settingKind(spec) !== 'integer') return undefined;
  try {
    spec.parse('x');
  } catch (err) {
    const p = (err as { params?: Record<string, unknown> }).params;
    if (typeof p?.min === 'number' && typeof p.max === 'number') return { min: p.min, max: p.max };
  }
  return undefined;
}
