import { z } from 'zod';
import { getRequest, listRequests, REQUEST_KINDS, REQUEST_STATUSES, type PrivacyRequest } from '../../../privacy/index.ts';
import { time } from './representation.ts';
import { named } from './schema-registry.ts';
import { apiClientId, type ApiContext } from './api-env.ts';
import { PageQuery, idCursor, pathId, readQuery } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

export const RequestSchema = named('PrivacyRequest', z.object({
  id: z.string(),
  kind: z.enum(REQUEST_KINDS).describe('client_export, contact_export, erasure, restriction, objection, restriction_lifted or objection_lifted (a customer\'s STOP is an objection, START its lifting)'),
  status: z.enum(REQUEST_STATUSES).describe('received, running, done or failed (restriction and objection are done at once)'),
  progress: z.number().int().min(0).max(100).describe('Percent done'),
  due_date: z.string().meta({ format: 'date' }).describe('YYYY-MM-DD in the client\'s time zone: when the request must be answered (30 days after it was received unless the client set fewer)'),
  download_url: z.string().meta({ format: 'uri' }).nullable().describe('Exports: null until done; then an absolute URL that needs an API key of the same client and answers 410 expired after expires_at'),
  expires_at: time().nullable().describe('When download_url stops working'),
  backups_expire_at: time().nullable().describe('Erasure: when the last backup that may still hold the person is deleted (null for other kinds)'),
}), 'A privacy request: its record in the request register');

/** The request as the API shows it; download_url is absolute, built from the public URL. */
export function requestJson(r: PrivacyRequest, publicUrl: string): z.infer<typeof RequestSchema> {
  const downloadable = r.status === 'done' && r.downloadPath;
  return {
    id: r.id, kind: r.kind, status: r.status, progress: r.progress, due_date: r.dueDate,
    download_url: downloadable ? `${publicUrl.replace(/\/$/, '')}/api/v1/requests/${r.id}/download` : null,
    expires_at: r.expiresAt, backups_expire_at: r.backupsExpireAt,
  };
}

export const requestJsonOf = (c: ApiContext, r: PrivacyRequest) => requestJson(r, c.get('ctx').publicUrl());

const RequestQuery = PageQuery.extend({
  contact_id: z.string().max(100).optional().describe('Only the requests about this contact'),
  kind: z.enum(REQUEST_KINDS).optional().describe('Only requests of this kind'),
}).strict();

export const requestRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/requests', operationId: 'listPrivacyRequests', tag: 'Privacy', summary: 'The request register, newest first',
    description: 'Every export, erasure, restriction and objection of the client, with its due date and status. Filters combine.',
    query: RequestQuery,
    responses: { 200: { description: 'A page of requests', schema: z.object({ data: z.array(RequestSchema), next_cursor: z.string().nullable() }) } },
    async handler(c) {
      const q = readQuery(c, RequestQuery);
      const r = await listRequests(c.get('ctx').db, { clientId: apiClientId(c), contactId: q.contact_id, kind: q.kind, cursor: idCursor(q.cursor), limit: q.limit });
      return c.json({ data: r.data.map((x) => requestJsonOf(c, x)), next_cursor: r.nextCursor });
    },
  },
  {
    method: 'get', path: '/api/v1/requests/{request_id}', operationId: 'getPrivacyRequest', tag: 'Privacy', summary: 'One privacy request: its status, progress and download link',
    responses: { 200: { description: 'The request', schema: RequestSchema } },
    async handler(c) {
      return c.json(requestJsonOf(c, await getRequest(c.get('ctx').db, apiClientId(c), pathId(c, 'request_id'))));
    },
  },
];
