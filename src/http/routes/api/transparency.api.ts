import { z } from 'zod';
import { acceptedAt, currentAndNextPolicy, dataMapOf, listBreaches, type PolicyVersion } from '../../../privacy/index.ts';
import { listConsents } from '../../../ai/index.ts';
import { time } from './representation.ts';
import { named } from './schema-registry.ts';
import { apiClientId, type ApiContext } from './api-env.ts';
import { PageQuery, idCursor, page, readQuery } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

// Transparency (issue 18): the client's data map, the policy in force and the next one, the
// consent and transfer register, and the breaches that affect the client.

const PolicyVersionSchema = named('PolicyVersion', z.object({
  id: z.string(),
  effective_date: z.string().meta({ format: 'date' }).describe('YYYY-MM-DD in the operator’s time zone (operator.timezone)'),
  significant: z.boolean().describe('A significant change, e-mailed to the client at least 30 days before it takes effect'),
  accepted_at: time().nullable().describe('When an owner of this client accepted this version; null if none has'),
}), 'A version of the operator’s privacy policy');

const DataMapSchema = named('DataMap', z.object({
  categories: z.array(z.object({
    name: z.string(), purpose: z.string(),
    retention_days: z.number().int().nullable().describe('null: kept while the account is active (deleted 90 days after termination)'),
  })),
  recipients: z.array(z.object({
    kind: z.enum(['ai', 'whatsapp', 'instagram', 'chatwoot', 'webhook', 'smtp', 'backup']),
    name: z.string(), url: z.string(),
    abroad: z.boolean().describe('Whether data leaves Kazakhstan'),
  }).describe('An outside party the client’s configuration sends data to')),
}), 'Which data is kept, why, for how long, and who receives it');

const ConsentSchema = named('TransferConsent', z.object({
  id: z.string(),
  provider: z.string().describe('What is authorised: an AI provider abroad (openai or compatible), or offsite_backup (copies in a second location)'),
  destination: z.string().describe('The endpoint’s host when the authorisation was recorded'),
  policy_version: z.string().describe('The text the owner agreed to'),
  recorded_at: time(),
  withdrawn_at: time().nullable(),
}), 'An authorisation of a transfer abroad (the consent and transfer register)');

const BreachSchema = named('Breach', z.object({
  id: z.string(),
  detected_at: time(),
  description: z.string(),
  authority_deadline: time().describe('Notify the Kazakh authority by the end of the next working day after detection (operator.timezone; weekends skipped)'),
  gdpr_deadline: time().describe('72 hours after detection (GDPR Art. 33)'),
  authority_notified_at: time().nullable(),
  clients_notified_at: time().nullable(),
}), 'A breach of the operator’s register that affects this client');

const versionJson = async (c: ApiContext, v: PolicyVersion | null) =>
  v ? { id: v.id, effective_date: v.effectiveDate, significant: v.significant, accepted_at: await acceptedAt(c.get('ctx').db, apiClientId(c), v.id) } : null;

const list = (schema: z.ZodType) => z.object({ data: z.array(schema), next_cursor: z.string().nullable() });

export const transparencyRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/data-map', operationId: 'getDataMap', tag: 'Privacy', summary: 'The client’s data map: categories of data and every recipient configured',
    description: 'Recipients follow the configuration: the AI provider (abroad unless a local endpoint), each WhatsApp and Instagram channel, active webhooks, the SMTP relay.',
    responses: { 200: { description: 'The data map', schema: DataMapSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const map = await dataMapOf(ctx, apiClientId(c));
      return c.json({
        categories: map.categories.map((x) => ({ name: x.name, purpose: x.purpose, retention_days: x.retentionDays })),
        recipients: map.recipients.map((r) => ({ kind: r.kind, name: r.name, url: r.url, abroad: r.abroad })),
      });
    },
  },
  {
    method: 'get', path: '/api/v1/policy', operationId: 'getPolicy', tag: 'Privacy', summary: 'The privacy policy in force and the next one announced',
    responses: { 200: { description: 'The current and the next version (null when there is none)', schema: z.object({ current: PolicyVersionSchema.nullable(), next: PolicyVersionSchema.nullable() }) } },
    async handler(c) {
      const { current, next } = await currentAndNextPolicy(c.get('ctx').db, c.get('ctx').clock);
      return c.json({ current: await versionJson(c, current), next: await versionJson(c, next) });
    },
  },
  {
    method: 'get', path: '/api/v1/consents', operationId: 'listConsents', tag: 'Privacy', summary: 'The consent and transfer register, newest first',
    query: PageQuery,
    responses: { 200: { description: 'A page of authorisations', schema: list(ConsentSchema) } },
    async handler(c) {
      const q = readQuery(c, PageQuery);
      const cursor = idCursor(q.cursor);
      const all = (await listConsents(c.get('ctx').db, apiClientId(c))).sort((a, b) => (a.id < b.id ? 1 : -1)).filter((x) => !cursor || x.id < cursor);
      return c.json(page(all.slice(0, q.limit + 1), q.limit, (x) => ({
        id: x.id, provider: x.provider, destination: x.destination, policy_version: x.policyVersion, recorded_at: x.recordedAt, withdrawn_at: x.withdrawnAt,
      }), (x) => x.id));
    },
  },
  {
    method: 'get', path: '/api/v1/breaches', operationId: 'listBreaches', tag: 'Privacy', summary: 'Breaches affecting this client, newest first, with their notification deadlines',
    query: PageQuery,
    responses: { 200: { description: 'A page of breaches', schema: list(BreachSchema) } },
    async handler(c) {
      const q = readQuery(c, PageQuery);
      const r = await listBreaches(c.get('ctx').db, { clientId: apiClientId(c), cursor: idCursor(q.cursor), limit: q.limit });
      return c.json({
        data: r.data.map((b) => ({
          id: b.id, detected_at: b.detectedAt, description: b.description, authority_deadline: b.kzAuthorityDeadline, gdpr_deadline: b.gdprDeadline,
          authority_notified_at: b.authorityNotifiedAt, clients_notified_at: b.clientsNotifiedAt,
        })),
        next_cursor: r.nextCursor,
      });
    },
  },
];
