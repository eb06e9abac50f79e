import { z } from 'zod';
import { apiSchemas, named } from './schema-registry.ts';

export { named };

export const ErrorSchema = named('Error', z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. not_found, invalid_json, unknown_field'),
    message: z.string().describe('A sentence for people'),
    field: z.string().optional().describe('The field at fault, when there is one'),
  }),
}), 'Every error answer');

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented operation; routes and the document come from the same list. */
export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI form: /api/v1/conversations/{conversation_id} */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Extra request media types besides JSON (e.g. multipart uploads). */
  multipart?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Served without an API key (only the document itself). */
  public?: boolean;
}

type Json = Record<string, unknown>;

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect), named sub-schemas moved to components. */
function toSchema(schema: z.ZodType, components: Json, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, {
    metadata: apiSchemas, io, unrepresentable: 'any',
    // Named schemas come from our registry; a field's `.describe()` text lives in zod's global one.
    override: ({ zodSchema, jsonSchema }) => {
      const description = z.globalRegistry.get(zodSchema)?.description;
      if (description && jsonSchema.description === undefined) jsonSchema.description = description;
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
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name, in: 'query', required: (s.required ?? []).includes(name), description: p.description, schema: { ...p, description: undefined },
  }));
}

export interface DocumentInfo {
  version: string;
  serverUrl: string;
}

/** Builds the OpenAPI 3.1 document of /api/v1 from the operations list. */
export function buildOpenApi(ops: ApiOperation[], info: DocumentInfo): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  const errorRef = { $ref: '#/components/schemas/Error' };
  for (const op of ops) {
    const params: Json[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) params.push(...queryParameters(op.query, components));
    const responses: Json = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema ? { description: r.description, content: { 'application/json': { schema: toSchema(r.schema, components, 'output') } } } : { description: r.description };
    }
    const std: Record<string, string> = { 400: 'Invalid request (malformed JSON, unknown or invalid field)', 404: 'Not found (or not this client’s)' };
    if (!op.public) std[401] = 'Missing, unknown or revoked API key';
    for (const [status, description] of Object.entries(std)) {
      if (!responses[status] && (status !== '400' || op.body || op.query || op.multipart)) responses[status] = { description, content: { 'application/json': { schema: errorRef } } };
    }
    const content: Json = {};
    if (op.body) content['application/json'] = { schema: toSchema(op.body, components, 'input') };
    if (op.multipart) content['multipart/form-data'] = { schema: toSchema(op.multipart, components, 'input') };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: `${op.method}${op.path.replace('/api/v1', '').replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)/g, (_, ch: string) => ch.toUpperCase())}`,
      tags: [op.tag], summary: op.summary, ...(op.description ? { description: op.description } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
      responses,
      ...(op.public ? { security: [] } : {}),
    };
  }
  toSchema(ErrorSchema, components, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Habar REST API',
      version: info.version,
      description: 'JSON over HTTPS. Ids are strings, times RFC 3339 UTC, field names snake_case. Lists take ?cursor=&limit= (default 50, at most 200), newest first, and answer {"data": [...], "next_cursor"} with next_cursor null at the end. Errors are {"error": {"code", "message", "field"?}}.',
    },
    servers: [{ url: info.serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key made in the admin UI (API keys) or with `habar api-key create`: Authorization: Bearer hbr_…' } },
      schemas: components,
    },
  };
}
