// A local stand-in for S3-compatible object storage (MinIO, a provider in Kazakhstan) on 127.0.0.1,
// speaking S3's REST wire format with path-style addressing (/<bucket>/<key>): PutObject, the
// multipart calls (create, upload part, complete, abort), GetObject, HeadObject, DeleteObject and
// ListObjectsV2. It checks the access key named in the SigV4 Authorization header (not the
// signature) and answers S3's XML errors. The real AWS SDK talks to it.
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface StoredObject {
  body: Buffer;
  lastModified: Date;
  etag: string;
}

export interface S3StandIn {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** bucket → key → object; tests read and damage objects here. */
  buckets: Map<string, Map<string, StoredObject>>;
  /** Every request as "METHOD /path?query" (the query's keys only), for assertions on what was called. */
  calls: string[];
  /** Answers the next upload of a multipart part with a 500 InternalError (`times` times). */
  failNextPart(times?: number): void;
  /** Answers every request with this S3 error code while set (e.g. 'AccessDenied' for a read-only key). */
  failWrites?: string;
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function errorXml(res: http.ServerResponse, status: number, code: string, message: string, resource = ''): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><Resource>${xmlEscape(resource)}</Resource><RequestId>standin</RequestId></Error>`);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  // aws-chunked bodies (streaming SigV4): "<hex size>;chunk-signature=…\r\n<data>\r\n" … "0;…\r\n" + trailers.
  if (!String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-') && !String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) return raw;
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0], 16);
    if (!size) break;
    out.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

const etagOf = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

/** Starts the stand-in with one bucket (`bucket`) and one key pair; `discardBodies` keeps no bytes (benchmarks of large uploads). */
export async function startS3StandIn(opts: { bucket?: string; accessKey?: string; secretKey?: string; port?: number; discardBodies?: boolean } = {}): Promise<S3StandIn> {
  const accessKey = opts.accessKey ?? 'HABARTESTKEY';
  const secretKey = opts.secretKey ?? 'habar-test-secret';
  const buckets = new Map<string, Map<string, StoredObject>>([[opts.bucket ?? 'habar-backups', new Map()]]);
  const uploads = new Map<string, { bucket: string; key: string; parts: Map<number, Buffer> }>();
  const calls: string[] = [];
  let partFailures = 0;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, standIn: S3StandIn) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    calls.push(`${req.method} ${url.pathname}${[...q.keys()].length ? `?${[...q.keys()].join('&')}` : ''}`);
    const auth = String(req.headers.authorization ?? '');
    const akid = auth.match(/Credential=([^/]+)\//)?.[1];
    if (!auth.startsWith('AWS4-HMAC-SHA256') || !akid) return errorXml(res, 403, 'AccessDenied', 'Anonymous access is forbidden');
    if (akid !== accessKey) return errorXml(res, 403, 'InvalidAccessKeyId', 'The Access Key Id you provided does not exist in our records.');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const bucket = buckets.get(decodeURIComponent(bucketName ?? ''));
    if (!bucket) return errorXml(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `/${bucketName}`);
    const body = await readBody(req);
    if (standIn.failWrites && req.method !== 'GET' && req.method !== 'HEAD') return errorXml(res, 403, standIn.failWrites, 'Access Denied.');

    if (req.method === 'GET' && !key) {
      if (q.get('list-type') !== '2') return errorXml(res, 400, 'NotImplemented', 'Only ListObjectsV2 is supported');
      const prefix = q.get('prefix') ?? '';
      const max = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
      const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
      const keys = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = keys.slice(0, max);
      const truncated = keys.length > page.length;
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucketName}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${xmlEscape(page[page.length - 1])}</NextContinuationToken>` : ''}${
        page.map((k) => { const o = bucket.get(k)!; return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`; }).join('')
      }</ListBucketResult>`);
      return;
    }
    if (req.method === 'POST' && q.has('uploads')) {
      const id = randomUUID();
      uploads.set(id, { bucket: bucketName, key, parts: new Map() });
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>${bucketName}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      return;
    }
    const uploadId = q.get('uploadId');
    if (uploadId) {
      const up = uploads.get(uploadId);
      if (!up) return errorXml(res, 404, 'NoSuchUpload', 'The specified multipart upload does not exist.');
      if (req.method === 'PUT') {
        if (partFailures > 0) {
          partFailures--;
          return errorXml(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
        }
        up.parts.set(Number(q.get('partNumber')), opts.discardBodies ? Buffer.alloc(0) : body);
        res.writeHead(200, { etag: etagOf(body) });
        res.end();
        return;
      }
      if (req.method === 'POST') {
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
        if (numbers.some((n) => !up.parts.has(n))) return errorXml(res, 400, 'InvalidPart', 'One or more of the specified parts could not be found.');
        const whole = Buffer.concat(numbers.map((n) => up.parts.get(n)!));
        const etag = etagOf(whole);
        bucket.set(key, { body: whole, lastModified: new Date(), etag });
        uploads.delete(uploadId);
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult><Location>http://x/${bucketName}/${xmlEscape(key)}</Location><Bucket>${bucketName}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`);
        return;
      }
      if (req.method === 'DELETE') {
        uploads.delete(uploadId);
        res.writeHead(204);
        res.end();
        return;
      }
    }
    if (req.method === 'PUT') {
      const etag = etagOf(body);
      bucket.set(key, { body: opts.discardBodies ? Buffer.alloc(0) : body, lastModified: new Date(), etag });
      res.writeHead(200, { etag });
      res.end();
      return;
    }
    if (req.method === 'DELETE') {
      bucket.delete(key);
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const o = bucket.get(key);
      if (!o) {
        if (req.method === 'HEAD') { res.writeHead(404); res.end(); return; }
        return errorXml(res, 404, 'NoSuchKey', 'The specified key does not exist.', key);
      }
      res.writeHead(200, { 'content-length': o.body.length, etag: o.etag, 'last-modified': o.lastModified.toUTCString(), 'content-type': 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : o.body);
      return;
    }
    errorXml(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  };

  const standIn: S3StandIn = {
    endpoint: '', accessKey, secretKey, buckets, calls,
    failNextPart(times = 1) { partFailures += times; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const server = http.createServer((req, res) => {
    handle(req, res, standIn).catch((err) => errorXml(res, 500, 'InternalError', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  standIn.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
