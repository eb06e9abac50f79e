import { openExportDownload, requestExport } from '../../../privacy/index.ts';
import { RequestSchema, requestJsonOf } from './requests.api.ts';
import { apiActor, apiClientId, type ApiContext } from './api-env.ts';
import { pathId } from './validation.ts';
import type { ApiRoute } from './api-route.ts';
import { sendFileDownload } from '../../send-file.ts';

const accepted = { description: 'The request is recorded and its export is being written: poll GET /api/v1/requests/{id} for progress and download_url', schema: RequestSchema };

async function startExport(c: ApiContext, contactId?: string) {
  const ctx = c.get('ctx');
  const key = c.get('apiKey');
  const request = await requestExport(ctx, { clientId: apiClientId(c), contactId, requester: { kind: 'api_key', id: key.id }, by: apiActor(c) });
  ctx.jobs.wake();
  return c.json(requestJsonOf(c, request), 202);
}

export const exportRoutes: ApiRoute[] = [
  {
    method: 'post', path: '/api/v1/exports', operationId: 'exportClient', tag: 'Privacy', summary: 'Export everything Habar holds about the client (one ZIP)',
    description: 'Answers 202 with a client_export request. A job writes one ZIP: manifest.json, schema.json, data/<table>.ndjson and .csv for every table '
      + 'holding the client\'s data (account, members, channels without secrets, contacts, conversations, messages, AI settings, consents, usage, …) and media/. '
      + 'progress goes 0–100; once done, download_url (absolute, this API key\'s client only) works until expires_at, then answers 410 expired.',
    responses: { 202: accepted },
    handler: (c) => startExport(c),
  },
  {
    method: 'post', path: '/api/v1/contacts/{contact_id}/export', operationId: 'exportContact', tag: 'Privacy', summary: 'Export one contact\'s data (JSON and a readable HTML summary)',
    description: 'Answers 202 with a contact_export request. The ZIP holds contact.json (every row about the person, by table), summary.html and their files in media/.',
    responses: { 202: accepted },
    handler: (c) => startExport(c, pathId(c, 'contact_id')),
  },
  {
    method: 'get', path: '/api/v1/requests/{request_id}/download', operationId: 'downloadExport', tag: 'Privacy', summary: 'Download a finished export (the request\'s download_url)',
    responses: {
      200: { description: 'The ZIP archive', media: 'application/zip' },
      409: { description: 'The export is still being written (not_ready)' },
      410: { description: 'The link expired (expired): request a new export' },
    },
    async handler(c) {
      const ctx = c.get('ctx');
      const d = await openExportDownload({ ...ctx, dataDir: ctx.config.dataDir }, apiClientId(c), pathId(c, 'request_id'), apiActor(c));
      return sendFileDownload(c, d.file, d.fileName, 'application/zip');
    },
  },
];
