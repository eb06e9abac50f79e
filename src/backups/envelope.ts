// The encrypted form of an off-site backup: "HBK1" + a 96-bit nonce + AES-256-GCM ciphertext of the
// gzip-compressed data file + the 16-byte tag. Streamed both ways, so memory stays flat whatever
// the file size. The key is derived from the master key, which never leaves the appliance.
import { createCipheriv, createDecipheriv, createHash, randomBytes, type DecipherGCM, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../lib/errors.ts';

const MAGIC = Buffer.from('HBK1');
const HEADER = MAGIC.length + 12;
const TAG = 16;

/** The purpose name of the backup key (HKDF info), so no other use of the master key can collide with it. */
export const BACKUP_KEY_PURPOSE = 'backup.remote.v1';

export function encryptStream(key: Buffer): Transform {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const header = Buffer.concat([MAGIC, nonce]);
  cipher.setAAD(header);
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!started) { this.push(header); started = true; }
      cb(null, cipher.update(chunk));
    },
    flush(cb) {
      if (!started) this.push(header);
      this.push(cipher.final());
      cb(null, cipher.getAuthTag());
    },
  });
}

export const authFailed = () => new AppError('backup_auth_failed', 'The backup failed authentication: it was altered, damaged, or encrypted with a different master key. Nothing was restored.', 1);

/** Decrypts; the stream errors (backup_auth_failed) at its end when the tag does not verify. */
export function decryptStream(key: Buffer): Transform {
  let head = Buffer.alloc(0);
  let decipher: DecipherGCM | undefined;
  let tail = Buffer.alloc(0); // the last TAG bytes seen: the tag, once the input ends
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      if (!decipher) {
        head = Buffer.concat([head, chunk]);
        if (head.length < HEADER) return cb();
        if (!head.subarray(0, MAGIC.length).equals(MAGIC)) return cb(new AppError('backup_not_encrypted', 'The object is not a Habar encrypted backup (wrong header). Nothing was restored.', 1));
        decipher = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length, HEADER));
        decipher.setAAD(head.subarray(0, HEADER));
        chunk = head.subarray(HEADER);
      }
      const all = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      const cut = Math.max(0, all.length - TAG);
      tail = Buffer.from(all.subarray(cut));
      cb(null, cut ? decipher.update(all.subarray(0, cut)) : undefined);
    },
    flush(cb) {
      if (!decipher || tail.length < TAG) return cb(authFailed());
      try {
        decipher.setAuthTag(tail);
        cb(null, decipher.final());
      } catch {
        cb(authFailed());
      }
    },
  });
}

/** A pass-through that hashes (sha256) and counts what flows through it. */
export function measuring(): Transform & { sha256(): string; bytes(): number } {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  let digest: string | undefined;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  }) as Transform & { sha256(): string; bytes(): number };
  t.sha256 = () => (digest ??= hash.digest('hex'));
  t.bytes = () => bytes;
  return t;
}
