import fs from 'node:fs';
import path from 'node:path';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { AttachmentMeta } from './types.ts';

/** How long a signed link to a stored file works (a platform fetches it when the message is sent). */
export const PUBLIC_MEDIA_TTL_MS = 60 * 60 * 1000;

const sign = (vault: Vault, payload: string) => createHmac('sha256', vault.deriveKey('public-media')).update(payload).digest('base64url');

/**
 * An unguessable, expiring token for one stored attachment (`<id>.<expiry>.<HMAC>`, keyed from the
 * vault): whoever holds it may fetch that one file until it expires, without a session. For
 * platforms that take a file by URL (Instagram's Send API).
 */
export function publicMediaToken(vault: Vault, attachmentId: string, expiresAt: Date): string {
  const payload = `${attachmentId}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${payload}.${sign(vault, payload)}`;
}

/** The stored file a token names, if the token is genuine and not expired; otherwise undefined. */
export async function publicMediaFile(db: Db, vault: Vault, dataDir: string, token: string, now: Date): Promise<(AttachmentMeta & { file: string }) | undefined> {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[0-9a-z]{1,12}$/.test(parts[1])) return undefined;
  const [id, exp, mac] = parts;
  const want = Buffer.from(sign(vault, `${id}.${exp}`));
  const given = Buffer.from(mac);
  if (want.length !== given.length || !timingSafeEqual(want, given)) return undefined;
  if (parseInt(exp, 36) * 1000 <= now.getTime()) return undefined;
  const r = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const file = path.join(dataDir, 'attachments', r.path);
  if (!fs.existsSync(file)) return undefined;
  return { id: r.id, name: r.file_name, mime: r.mime, size: r.size, file };
}
