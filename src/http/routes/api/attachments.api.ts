import fs from 'node:fs';
import { z } from 'zod';
import { AttachmentSchema, attachmentJson } from './representation.ts';
import { MAX_ATTACHMENT_BYTES, getAttachment, storeAttachment } from '../../../messaging/index.ts';
import { badRequest } from '../../../lib/errors.ts';
import { parseFormBody } from '../../forms.ts';
import { apiClientId } from './api-env.ts';
import { pathId } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

const Upload = z.object({ file: z.string().describe('The file (binary form part)').meta({ format: 'binary' }) });

export const attachmentRoutes: ApiRoute[] = [
  {
    method: 'post', path: '/api/v1/attachments', operationId: 'uploadAttachment', tag: 'Messages', summary: 'Upload a file to attach to a message',
    description: `multipart/form-data with one part "file" (at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB). Then send a message with "attachment_ids": [id].`,
    multipart: Upload, responses: { 201: { description: 'The stored file', schema: AttachmentSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      if (!(c.req.header('content-type') ?? '').includes('multipart/form-data')) throw badRequest('Send the file as multipart/form-data in a part named "file"', 'file', 'invalid_upload');
      const body = await parseFormBody(c);
      const unknown = Object.keys(body).find((k) => k !== 'file');
      if (unknown) throw badRequest(`Unknown field "${unknown}"`, unknown, 'unknown_field');
      const file = body.file;
      if (!(file instanceof File)) throw badRequest('Attach the file in a part named "file"', 'file', 'missing_field');
      const meta = await storeAttachment(ctx.db, ctx.clock, ctx.config.dataDir, {
        clientId: apiClientId(c), fileName: file.name, mime: file.type, bytes: new Uint8Array(await file.arrayBuffer()),
      });
      return c.json(attachmentJson(meta, meta.createdAt), 201);
    },
  },
  {
    method: 'get', path: '/api/v1/attachments/{attachment_id}', operationId: 'downloadAttachment', tag: 'Messages', summary: 'Download a stored file',
    responses: { 200: { description: 'The file, with the media type it was uploaded with, as a download', media: '*/*' } },
    async handler(c) {
      const a = await getAttachment(c.get('ctx').db, c.get('ctx').config.dataDir, apiClientId(c), pathId(c, 'attachment_id'));
      const bytes = await fs.promises.readFile(a.file);
      return c.body(bytes, 200, {
        'content-type': a.mime,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`,
      });
    },
  },
];
