// The data processing agreement (policy section 8): the operator's template (setting
// policy.dpa_template, or the built-in one) filled with the client's details and the processing
// its configuration actually does (categories, purposes, recipients, retention).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { notFound } from '../lib/errors.ts';
import { getSetting } from '../settings/index.ts';
import { findClient } from '../tenants/index.ts';
import { dataMapOf } from './data-map.ts';
import { DEFAULT_DPA_TEMPLATES } from './dpa-templates.ts';
import { localDate, operatorTimeZone } from './operator-time.ts';

export { DEFAULT_DPA_TEMPLATES } from './dpa-templates.ts';

export const DPA_TEMPLATE_SETTING = 'policy.dpa_template';

/** The words the filled lists use, in the reader's language (the HTTP edge passes them from its catalog). */
export interface DpaWords {
  category(name: string): string;
  purpose(name: string): string;
  retention(days: number | null, purgeAfterDays: number): string;
  where(abroad: boolean): string;
  kind(kind: string): string;
  noRecipients: string;
}

export interface FilledDpa {
  text: string;
  clientName: string;
}

/** The client's DPA as markdown text; placeholders filled, unknown ones left as written. */
export async function fillDpa(deps: { db: Db; vault: Vault; clock: Clock }, clientId: string, lang: 'ru' | 'kk' | 'en', w: DpaWords): Promise<FilledDpa> {
  const client = await findClient(deps.db, clientId);
  if (!client) throw notFound('No such client');
  const template = (await getSetting(deps.db, deps.vault, DPA_TEMPLATE_SETTING))?.trim() || DEFAULT_DPA_TEMPLATES[lang];
  const map = await dataMapOf(deps, clientId);
  const dash = (v: string) => v.trim() || '—';
  const values: Record<string, string> = {
    'date': localDate(deps.clock.now(), await operatorTimeZone(deps.db)),
    'client.name': client.name,
    'client.contact_email': dash(client.contactEmail),
    'client.phone': dash(client.phone),
    'client.invoice_address': dash(client.invoiceAddress),
    'client.contact_persons': dash(client.contactPersons.map((p) => [p.name, p.email, p.phone].filter(Boolean).join(', ')).join('; ')),
    'categories': map.categories.map((c) => `- ${w.category(c.name)}: ${w.purpose(c.name)}`).join('\n'),
    'recipients': map.recipients.length
      ? map.recipients.map((r) => `- ${w.kind(r.kind)}: ${r.name} (${r.url}), ${w.where(r.abroad)}`).join('\n')
      : `- ${w.noRecipients}`,
    'retention': map.categories.map((c) => `- ${w.category(c.name)}: ${w.retention(c.retentionDays, map.purgeAfterDays)}`).join('\n'),
  };
  const text = template.replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (m, key: string) => values[key] ?? m);
  return { text, clientName: client.name };
}
