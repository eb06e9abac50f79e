import { z } from 'zod';
import { getApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../../../auth/index.ts';
import { named } from './openapi-builder.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { PageQuery, idCursor, page, pathId, readQuery } from './validation.ts';
import { time } from './representation.ts';
import type { ApiRoute } from './api-route.ts';

export const ApiKeySchema = named('ApiKey', z.object({
  id: z.string(),
  label: z.string(),
  prefix: z.string().describe('The first characters of the key, e.g. "hbr_abc123"; the key itself is shown only once'),
  created_by: z.string().describe('Who made it: a user’s e-mail address, or "cli"'),
  created_at: time(),
  last_used_at: time().nullable().describe('Recorded at most once a minute'),
  revoked_at: time().nullable(),
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
    method: 'get', path: '/api/v1/api-keys', operationId: 'listApiKeys', tag: 'API keys', summary: 'List this client’s API keys (revoked ones included)',
    query: PageQuery, responses: { 200: { description: 'A page of keys', schema: z.object({ data: z.array(ApiKeySchema), next_cursor: z.string().nullable() }) } },
    async handler(c) {
      const q = readQuery(c, PageQuery);
      const rows = await listApiKeys(c.get('ctx').db, apiClientId(c), { before: idCursor(q.cursor), limit: q.limit + 1 });
      return c.json(page(rows, q.limit, apiKeyJson, (k) => k.id));
    },
  },
  {
    method: 'get', path: '/api/v1/api-keys/{key_id}', operationId: 'getApiKey', tag: 'API keys', summary: 'One API key',
    responses: { 200: { description: 'The key (without its secret)', schema: ApiKeySchema } },
    async handler(c) {
      return c.json(apiKeyJson(await getApiKey(c.get('ctx').db, apiClientId(c), pathId(c, 'key_id'))));
    },
  },
  {
    method: 'delete', path: '/api/v1/api-keys/{key_id}', operationId: 'revokeApiKey', tag: 'API keys', summary: 'Revoke an API key (at once; calls with it answer 401)',
    description: 'Idempotent: a key already revoked answers 204 again (GET /api/v1/api-keys/{key_id} shows when it was revoked); an id this client never had is 404.',
    responses: { 204: { description: 'Revoked (or already revoked)' } },
    async handler(c) {
      const ctx = c.get('ctx');
      const key = await getApiKey(ctx.db, apiClientId(c), pathId(c, 'key_id'));
      // Revoked already: nothing changes, so nothing more is recorded.
      if (!key.revokedAt) await revokeApiKey(ctx.db, ctx.clock, apiClientId(c), key.id, apiActor(c));
      return c.body(null, 204);
    },
  },
];
