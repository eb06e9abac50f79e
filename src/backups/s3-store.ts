// The only speaker of S3: the official AWS SDK (SigV4 signing, retries, multipart upload) against
// any S3-compatible endpoint. Path-style addressing (forcePathStyle) is what MinIO and most
// providers in Kazakhstan expect; checksums only where required, which every S3-compatible
// service accepts.
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AppError } from '../lib/errors.ts';
import type { RemoteTarget } from './target.ts';

export interface ListedObject { key: string; size: number; lastModified?: Date }

/** What the backups room needs of an object store. */
export interface ObjectStore {
  /** Uploads a stream (multipart for large bodies; each part is retried on failure); `onProgress` gets the bytes sent. */
  upload(key: string, body: Readable | Buffer, onProgress?: (sentBytes: number) => void): Promise<void>;
  get(key: string): Promise<Readable>;
  getText(key: string): Promise<string>;
  list(prefix: string): Promise<ListedObject[]>;
  remove(key: string): Promise<void>;
  close(): void;
}

/** Part size of multipart uploads: memory use is about twice this (two parts in flight). */
export const PART_BYTES = 8 * 1024 * 1024;

/** Turns an SDK or network error into words an operator can act on. */
export function describeStoreError(err: unknown, target: Pick<RemoteTarget, 'endpoint' | 'bucket'>): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.name && e.name !== 'Error' ? e.name : e.code;
  const words: Record<string, string> = {
    InvalidAccessKeyId: 'the storage does not know this access key',
    SignatureDoesNotMatch: 'the secret key does not match the access key',
    NoSuchBucket: `there is no bucket "${target.bucket}" at ${target.endpoint}`,
    AccessDenied: `the key may not write or delete objects in the bucket "${target.bucket}"`,
    ECONNREFUSED: `nothing answers at ${target.endpoint} (connection refused)`,
    ENOTFOUND: `the host of ${target.endpoint} is not known (DNS)`,
    ETIMEDOUT: `${target.endpoint} did not answer in time`,
    TimeoutError: `${target.endpoint} did not answer in time`,
    NoSuchKey: 'the object is not in the bucket',
  };
  const said = (code && words[code]) ?? `${code ?? 'error'}: ${e.message ?? String(err)}`;
  return new AppError('remote_storage', `Off-site storage: ${said}`, 502);
}

export function openObjectStore(target: RemoteTarget): ObjectStore {
  const client = new S3Client({
    endpoint: target.endpoint,
    region: target.region || 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKey, secretAccessKey: target.secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
  const Bucket = target.bucket;
  const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw describeStoreError(err, target);
    }
  };
  return {
    upload: (key, body, onProgress) => wrap(async () => {
      if (Buffer.isBuffer(body)) {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: 'application/octet-stream' }));
        onProgress?.(body.length);
        return;
      }
      const up = new Upload({ client, params: { Bucket, Key: key, Body: body }, queueSize: 2, partSize: PART_BYTES, leavePartsOnError: false });
      if (onProgress) up.on('httpUploadProgress', (p) => onProgress(p.loaded ?? 0));
      await up.done();
    }),
    get: (key) => wrap(async () => (await client.send(new GetObjectCommand({ Bucket, Key: key }))).Body as Readable),
    getText: (key) => wrap(async () => (await client.send(new GetObjectCommand({ Bucket, Key: key }))).Body!.transformToString('utf8')),
    list: (prefix) => wrap(async () => {
      const out: ListedObject[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: Number(o.Size ?? 0), lastModified: o.LastModified });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    }),
    remove: (key) => wrap(async () => { await client.send(new DeleteObjectCommand({ Bucket, Key: key })); }),
    close: () => client.destroy(),
  };
}
