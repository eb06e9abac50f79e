// Response templates: the language variant for a contact, and the variables filled in safely —
// in one pass (a value that itself looks like {{…}} is shown as written, never expanded), control
// characters removed, and a missing value shown as a visible fallback, never "undefined".
import type { TemplateLanguage } from './rule-schema.ts';

export interface Template {
  code: string;
  text: Record<TemplateLanguage, string>;
}

/** The variables a template may use; a value left undefined is missing. */
export type TemplateVars = Record<string, string | undefined>;

/** The variables templateVars (actions.ts) fills; the templates page lists them. */
export const TEMPLATE_VARIABLES = ['contact.name', 'contact.phone', 'client.name', 'business_hours.next_open'] as const;

const VARIABLE = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*(?:\|([^}]*))?\}\}/gi;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Fills `{{name}}` and `{{name|fallback}}`: a missing or empty value shows the fallback, or
 * `[name]` when the template gives none, so a person sees what is missing.
 */
export function renderTemplate(text: string, vars: TemplateVars): string {
  return text.replace(VARIABLE, (_m, name: string, fallback: string | undefined) => {
    const value = vars[name.toLowerCase()]?.replace(CONTROL, '').trim();
    if (value) return value.slice(0, 500);
    return fallback !== undefined ? fallback.trim() : `[${name}]`;
  });
}

/** The variant for the contact's language, else the client's default language, else the first one written. */
export function pickVariant(t: Template, contactLanguage: string | undefined, clientDefault: string): { text: string; lang: string } {
  const texts = t.text as Record<string, string>;
  for (const lang of [contactLanguage, clientDefault, 'ru', 'kk', 'en']) {
    if (lang && texts[lang]?.trim()) return { text: texts[lang], lang };
  }
  return { text: '', lang: clientDefault };
}
