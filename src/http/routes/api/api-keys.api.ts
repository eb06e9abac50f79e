import { z } from 'zod';
import { getApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../../../auth/index.ts';
import { named } from './openapi-builder.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { PageQuery, page, pathId, readQuery } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

export const ApiKeySchema = named('ApiKey', z.object({
  id: z.string(),
  label: z.string(),
  prefix: z.string().describe('The first characters of the key, e.g. "hbr_abc123"; the key itself is shown only once'),
  created_by: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
}));

export const apiKeyJson = (k: ApiKey): z.infer<typeof ApiKeySchema> => ({
  id: k.id, label: k.label, prefix: k.prefix, created_by: k.createdBy, created_at: k.createdAt, last_used_at: k.lastUsedAt, revoked_at: k.revokedAt,
});


/**
 * Listing and revoking keys. Creating one is deliberately not here (only the UI and the CLI make
 * keys): a leaked key must not be able to mint more keys that outlive its revocation.
 */
export const apiKeyRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/api-keys', tag: 'API keys', summary: 'List this client’s API keys (revoked ones included)',
    query: PageQuery, responses: { 200: { description: 'A page of keys', schema: z.object({ data: z.array(ApiKeySchema), next_cursor: z.string().nullable() }) } },
    async handler(c) {
      const q = readQuery(c, PageQuery);
      const rows = await listApiKeys(c.get('ctx').db, apiClientId(c), { before: q.cursor, limit: q.limit + 1 });
      return c.json(page(rows, q.limit, apiKeyJson, (k) => k.id));
    },
  },
  {
    method: 'get', path: '/api/v1/api-keys/{key_id}', tag: 'API keys', summary: 'One API key',
    responses: { 200: { description: 'The key (without its secret)', schema: ApiKeySchema } },
    async handler(c) {
      return c.json(apiKeyJson(await getApiKey(c.get('ctx').db, apiClientId(c), pathId(c, 'key_id'))));
    },
  },
  {
    method: 'delete', path: '/api/v1/api-keys/{key_id}', tag: 'API keys', summary: 'Revoke an API key (at once; calls with it answer 401)',
    responses: { 200: { description: 'The revoked key', schema: ApiKeySchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const key = await revokeApiKey(ctx.db, ctx.clock, apiClientId(c), pathId(c, 'key_id'), apiActor(c));
      return c.json(apiKeyJson(key));
    },
  },
];
