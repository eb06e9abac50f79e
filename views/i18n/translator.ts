export type Lang = 'ru' | 'kk' | 'en';
export const LANGS: Lang[] = ['ru', 'kk', 'en'];
export const LANG_NAMES: Record<Lang, string> = { ru: 'Русский', kk: 'Қазақша', en: 'English' };

/** A catalog part: one dictionary per language with the same keys (a test checks they match). */
export type Catalog = Record<Lang, Record<string, string>>;

export type T = (key: string, vars?: Record<string, string | number>) => string;

/** Builds a translator; a missing key falls back to English, then to the key itself. */
export function makeTranslator(catalog: Catalog, lang: Lang): T {
  const dict = catalog[lang];
  const en = catalog.en;
  return (key, vars) => {
    let s = dict[key] ?? en[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

export function mergeCatalogs(...parts: Catalog[]): Catalog {
  const out: Catalog = { ru: {}, kk: {}, en: {} };
  for (const p of parts) for (const l of LANGS) Object.assign(out[l], p[l]);
  return out;
}
