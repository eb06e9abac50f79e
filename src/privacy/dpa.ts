// The data processing agreement (policy section 8): the operator's template (setting
// policy.dpa_template, or the built-in one) filled with the client's details and the processing
// its configuration actually does (categories, purposes, recipients, retention).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { notFound } from '../lib/errors.ts';
import { getSetting } from '../settings/index.ts';
import { dataMapOf } from './data-map.ts';
import { localDate, operatorTimeZone } from './operator-time.ts';

export const DPA_TEMPLATE_SETTING = 'policy.dpa_template';

/** The built-in template: markdown (headings, paragraphs, "- " lists) with {{placeholders}}. */
export const DEFAULT_DPA_TEMPLATE = `# Data Processing Agreement

Date: {{date}}

Controller: {{client.name}}, contact e-mail {{client.contact_email}}, phone {{client.phone}}, address {{client.invoice_address}}.
Contact persons: {{client.contact_persons}}.

Processor: the operator of this Habar installation.

## 1. Subject and law
The processor processes personal data on the controller's behalf to connect its messaging accounts to an AI assistant and an inbox, under the Law of the Republic of Kazakhstan No. 94-V ZRK of 21 May 2013 "On Personal Data and Their Protection" and, where the controller serves the European Union, the GDPR (Art. 28).

## 2. Categories of data and purposes
{{categories}}

## 3. Recipients (sub-processors and transfers)
{{recipients}}

## 4. Retention
{{retention}}

## 5. Security
Data is stored on the processor's server; secrets are sealed (AES-256-GCM); access is limited to the controller's members and to the processor's staff under confidentiality, support only under the controller's time-limited grant; every access is audited.

## 6. Data subjects' rights
The processor gives the controller the means to answer requests for access, rectification, erasure, restriction, portability and objection within 30 days.

## 7. Breaches
The processor notifies the controller without undue delay, and the authority within one working day (Kazakhstan) and 72 hours (GDPR) of detection.
`;

export interface FilledDpa {
  text: string;
  clientName: string;
}

/** The client's DPA as markdown text; placeholders filled, unknown ones left as written. */
export async function fillDpa(deps: { db: Db; vault: Vault; clock: Clock }, clientId: string): Promise<FilledDpa> {
  const client = await deps.db.selectFrom('clients').selectAll().where('id', '=', clientId).executeTakeFirst();
  if (!client) throw notFound('No such client');
  const template = (await getSetting(deps.db, deps.vault, DPA_TEMPLATE_SETTING))?.trim() || DEFAULT_DPA_TEMPLATE;
  const map = await dataMapOf(deps, clientId);
  const dash = (v: string) => v.trim() || '—';
  const values: Record<string, string> = {
    'date': localDate(deps.clock.now(), await operatorTimeZone(deps.db)),
    'client.name': client.name,
    'client.contact_email': dash(client.contact_email),
    'client.phone': dash(client.phone),
    'client.invoice_address': dash(client.invoice_address),
    'client.contact_persons': dash(client.contact_persons),
    'categories': map.categories.map((c) => `- ${c.name}: ${c.purpose}`).join('\n'),
    'recipients': map.recipients.length
      ? map.recipients.map((r) => `- ${r.kind}: ${r.name} (${r.url})${r.abroad ? ', outside Kazakhstan' : ', in Kazakhstan'}`).join('\n')
      : '- none: no data leaves the processor\'s server',
    'retention': map.categories.map((c) => `- ${c.name}: ${c.retentionDays === null ? 'while the account is active, deleted 90 days after termination' : `${c.retentionDays} days`}`).join('\n'),
  };
  const text = template.replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (m, key: string) => values[key] ?? m);
  return { text, clientName: client.name };
}
