import { z } from 'zod';
import { apiSchemas, named } from './schema-registry.ts';

export { named };

/**
 * The API's error vocabulary: one code for one kind of failure, on every route. A new code is
 * added here (and so to the document and the README) before a route answers it.
 */
export const ERROR_CODES: Record<string, string> = {
  invalid_json: '400: the body is not JSON (or not sent as application/json)',
  unknown_field: '400: a field the operation does not know (field names it)',
  missing_field: '400: a required field is absent',
  invalid_field: '400: a value of the wrong type or outside what the field allows',
  too_long: '400: a text longer than its maxLength (counted in characters, as JSON Schema counts them)',
  invalid_cursor: '400: a cursor that is not a next_cursor this list gave',
  range_too_long: '400: a date range longer than the operation allows (usage: 366 days)',
  card_number: '400: a text that holds a payment card number (Habar never stores one)',
  invalid_request: '400: a request that is wrong as a whole (no single field to blame)',
  invalid_attachment: '400: an attachment id that is unknown or already on a message',
  invalid_phone: '400: not a phone number',
  invalid_upload: '400: an upload not sent as multipart/form-data',
  empty_message: '400: neither text nor a file',
  cannot_start: '400: this channel cannot start a conversation (the customer writes first)',
  attachment_type: '400: a file type the channel does not take',
  attachment_too_large: '400: a file larger than the channel takes',
  invalid_url: '400: not an http(s) URL',
  private_url: '400: a webhook URL on a loopback, link-local or private address',
  read_only_field: '400: a field that can be read but not written here',
  chatwoot_refused: '400: Chatwoot refused the credentials or the account (the message quotes its reason)',
  chatwoot_invalid_url: '400: not a Chatwoot address (http(s), no query)',
  chatwoot_private_url: '400: a Chatwoot URL on a loopback or private address the operator has not allowed',
  chatwoot_https_required: '400: plain http to a public address (https required)',
  chatwoot_unresolvable: '400: the Chatwoot host name does not resolve',
  invalid_email: '400: not an e-mail address',
  invalid_name: '400: an empty or too long name',
  invalid_timezone: '400: not an IANA time zone',
  too_many_persons: '400: more contact persons than allowed',
  person_needs_name: '400: a contact person without a name',
  person_invalid_email: '400: a contact person’s e-mail address is invalid',
  person_invalid_phone: '400: a contact person’s phone number is invalid',
  template_in_use: '400: a template set that leaves out a template a rule or the out-of-hours answer sends',
  unauthorized: '401: no API key sent',
  invalid_api_key: '401: the API key is unknown or revoked',
  client_inactive: '403: the client’s account is suspended or closed',
  owner_only_setting: '403: a setting only the client’s owner changes, in the admin UI',
  not_found: '404: no such resource for this client (another client’s is not found either)',
  method_not_allowed: '405: the path exists, the method does not (the Allow header lists those that do)',
  already_connected: '409: the channel is paired already (log it out before pairing another phone)',
  not_supported: '409: this kind of channel does not pair with a phone (no QR code, pairing code or logout)',
  delivery_in_progress: '409: the delivery is still being attempted; redeliver it once it is delivered or dead',
  transfer_consent_required: '409: the AI provider processes data abroad and the owner has not authorised the transfer',
  not_ready: '409: the export is still being written; poll its request until status is done',
  expired: '410: the download link expired; request a new export',
  payload_too_large: '413: the body is larger than the route accepts',
  rate_limited: '429: too many requests; wait Retry-After seconds',
  internal: '500: an error on the server (logged; the message says no more)',
};

export const ErrorSchema = named('Error', z.object({
  error: z.object({
    code: z.string().describe(`Stable machine-readable code: ${Object.keys(ERROR_CODES).join(', ')}`),
    message: z.string().describe('A sentence for people'),
    field: z.string().optional().describe('The request field at fault, as a dotted path of the API’s own names (e.g. events.0, contact_persons.1.email)'),
  }).strict(),
}).strict(), 'Every error answer');

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented operation; routes and the document come from the same list. */
export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI form: /api/v1/conversations/{conversation_id} */
  path: string;
  /** A verb and a noun, e.g. redeliverWebhookDelivery (client generators name their methods after it). */
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Extra request media types besides JSON (e.g. multipart uploads). */
  multipart?: z.ZodType;
  /** Each status: a description, and a JSON schema (an error status without one gets the Error schema). */
  responses: Record<number, { description: string; schema?: z.ZodType; media?: string; /** The same answer as CSV too (text/csv, e.g. with ?format=csv) */ alsoCsv?: boolean }>;
  /** Served without an API key (only the document itself). */
  public?: boolean;
}

/** An outgoing webhook event, documented in the document's `webhooks` section. */
export interface WebhookEventDoc {
  event: string;
  summary: string;
  /** The whole body POSTed to the receiver. */
  payload: z.ZodType;
}

type Json = Record<string, unknown>;

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect), named sub-schemas moved to components. */
function toSchema(schema: z.ZodType, components: Json, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, {
    metadata: apiSchemas, io, unrepresentable: 'any',
    // Named schemas come from our registry; a field's `.describe()` text and `.meta()` keywords
    // (format, maxLength of a character-counted string) live in zod's global one.
    override: ({ zodSchema, jsonSchema }) => {
      const meta = z.globalRegistry.get(zodSchema);
      if (!meta) return;
      for (const [k, v] of Object.entries(meta)) if (k !== 'id' && jsonSchema[k as keyof typeof jsonSchema] === undefined) (jsonSchema as Json)[k] = v;
    },
  }) as Json;
  const defs = (out.$defs ?? {}) as Record<string, Json>;
  delete out.$defs;
  delete out.$schema;
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object') {
      const o: Json = {};
      for (const [k, x] of Object.entries(v)) o[k] = k === '$ref' && typeof x === 'string' ? x.replace('#/$defs/', '#/components/schemas/') : fix(x);
      return o;
    }
    return v;
  };
  for (const [name, def] of Object.entries(defs)) components[name] = fix(def);
  return fix(out) as Json;
}

function queryParameters(schema: z.ZodType, components: Json): Json[] {
  const s = toSchema(schema, components, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => {
    const { description, ...rest } = p;
    return { name, in: 'query', required: (s.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

/** The error answers every operation of its kind can give, besides those it declares. */
function standardErrors(op: ApiOperation): Record<number, string> {
  const takesBody = !!(op.body || op.multipart);
  const std: Record<number, string> = {};
  if (takesBody || op.query) std[400] = 'Invalid request: malformed JSON, an unknown, missing or invalid field (error.field names it)';
  if (!op.public) {
    std[401] = 'Missing, unknown or revoked API key';
    std[403] = 'The client’s account is not active (client_inactive)';
    std[404] = 'Not found (or not this client’s)';
  }
  if (takesBody) std[413] = 'The body is too large (payload_too_large)';
  std[500] = 'Internal error';
  return std;
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function operationResponses(op: ApiOperation, components: Json): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(op.responses)) {
    if (r.schema) {
      responses[status] = { description: r.description, content: { [r.media ?? 'application/json']: { schema: toSchema(r.schema, components, 'output') } } };
      if (r.alsoCsv) ((responses[status] as Json).content as Json)['text/csv'] = { schema: { type: 'string' } };
    }
    else if (Number(status) >= 400) responses[status] = { description: r.description, content: errorContent };
    else if (r.media) responses[status] = { description: r.description, content: { [r.media]: {} } };
    else responses[status] = { description: r.description };
  }
  for (const [status, description] of Object.entries(standardErrors(op))) responses[status] ??= { description, content: errorContent };
  return responses;
}

const WEBHOOK_HEADERS = [
  { name: 'X-Habar-Delivery', description: 'The delivery id, the same on every retry: drop duplicates by it' },
  { name: 'X-Habar-Timestamp', description: 'Unix time in seconds when the body was signed' },
  { name: 'X-Habar-Signature', description: 'sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>: compare in constant time, reject old timestamps' },
].map((h) => ({ ...h, in: 'header', required: true, schema: { type: 'string' } }));

function webhookOperation(w: WebhookEventDoc, components: Json): Json {
  return {
    post: {
      operationId: `on${w.event.split(/[._]/).map((p) => p[0].toUpperCase() + p.slice(1)).join('')}`,
      tags: ['Webhooks'], summary: w.summary,
      description: 'Habar POSTs this to each active webhook subscribed to the event. Any 2xx answer within 10 s counts as delivered; otherwise the delivery is retried with capped exponential backoff and finally marked dead.',
      security: [],
      parameters: WEBHOOK_HEADERS,
      requestBody: { required: true, content: { 'application/json': { schema: toSchema(w.payload, components, 'output') } } },
      responses: {
        200: { description: 'Delivered (any 2xx counts)' },
        400: { description: 'Any other answer (or none within 10 s) is a failed attempt, retried later' },
      },
    },
  };
}

export interface DocumentInfo {
  version: string;
  serverUrl: string;
  /** Tag names in the order the document lists them, each with a description. */
  tags: Array<{ name: string; description: string }>;
  webhooks?: WebhookEventDoc[];
}

/** Builds the OpenAPI 3.1 document of /api/v1 from the operations list. */
export function buildOpenApi(ops: ApiOperation[], info: DocumentInfo): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const op of ops) {
    const params: Json[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) params.push(...queryParameters(op.query, components));
    const content: Json = {};
    if (op.body) content['application/json'] = { schema: toSchema(op.body, components, 'input') };
    if (op.multipart) content['multipart/form-data'] = { schema: toSchema(op.multipart, components, 'input') };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.operationId,
      tags: [op.tag], summary: op.summary, ...(op.description ? { description: op.description } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
      responses: operationResponses(op, components),
      ...(op.public ? { security: [] } : {}),
    };
  }
  const webhooks: Json = {};
  for (const w of info.webhooks ?? []) webhooks[w.event] = webhookOperation(w, components);
  toSchema(ErrorSchema, components, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Habar REST API',
      version: info.version,
      description: 'JSON over HTTPS. Ids are strings, times RFC 3339 UTC, field names snake_case. Lists take ?cursor=&limit= (default 50, at most 200), newest first, and answer {"data": [...], "next_cursor"} with next_cursor null at the end. '
        + 'Errors are {"error": {"code", "message", "field"?}}; a method a known path does not take answers 405 method_not_allowed with an Allow header. '
        + 'Lengths (maxLength) count characters (Unicode code points), not bytes or UTF-16 units.',
      contact: { name: 'Habar developers' },
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: info.serverUrl }],
    security: [{ bearer: [] }],
    tags: info.tags,
    paths,
    ...(Object.keys(webhooks).length ? { webhooks } : {}),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key made in the admin UI (API keys) or with `habar api-key create`: Authorization: Bearer hbr_…' } },
      schemas: components,
    },
  };
}
