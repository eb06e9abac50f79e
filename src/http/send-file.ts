import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from 'hono';

/** A file on disk as a download, streamed rather than read whole (an export may be larger than memory). */
export function sendFileDownload(c: Context, file: string, fileName: string, type: string): Response {
  return c.body(Readable.toWeb(fs.createReadStream(file)) as ReadableStream, 200, {
    'content-type': type, 'content-length': String(fs.statSync(file).size), 'cache-control': 'no-store',
    'content-disposition': `attachment; filename="${fileName}"`,
  });
}
