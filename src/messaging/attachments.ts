import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound, tooLarge } from '../lib/errors.ts';
import type { AttachmentMeta } from './types.ts';

/** The largest attachment stored (WhatsApp's own cap for documents is far larger; media are ~16 MB). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

const SAFE_NAME = /[^\p{L}\p{N}._ -]/gu;

/**
 * Stores an uploaded file under <data-dir>/attachments/<client>/<yyyy-mm>/<id> and records it;
 * attach it to a message by passing the returned metadata to sendMessage/startConversation, or
 * (a channel adapter's inbound media) in the InboundEvent's attachments: ingest links it.
 */
export async function storeAttachment(
  db: Db, clock: Clock, dataDir: string,
  input: { clientId: string; contactId?: string | null; fileName: string; mime: string; bytes: Uint8Array },
): Promise<AttachmentMeta & { id: string; createdAt: string }> {
  if (input.bytes.byteLength === 0) throw badRequest('The file is empty', 'file');
  if (input.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw tooLarge(`A file may have at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
  const name = (input.fileName.replace(SAFE_NAME, '_').trim() || 'file').slice(0, 120);
  const mime = /^[a-z]+\/[a-z0-9.+-]+$/i.test(input.mime) ? input.mime.toLowerCase() : 'application/octet-stream';
  const id = newId();
  const now = clock.now();
  const rel = path.join(input.clientId, now.toISOString().slice(0, 7), id);
  const file = path.join(dataDir, 'attachments', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, input.bytes, { mode: 0o600 });
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  await db.insertInto('attachments').values({
    id, client_id: input.clientId, contact_id: input.contactId ?? null, message_id: null, file_name: name, path: rel,
    mime, size: input.bytes.byteLength, sha256, created_at: now.toISOString(),
  }).execute();
  return { id, name, mime, size: input.bytes.byteLength, createdAt: now.toISOString() };
}

/**
 * Links stored files (those of `attachments` with an id, not yet on a message) to the message and
 * contact they came with, inside the caller's transaction, so erasure and export find them.
 * Another client's ids are ignored.
 */
export async function linkAttachments(
  trx: Db, link: { clientId: string; contactId: string; messageId: string }, attachments: readonly AttachmentMeta[] | undefined,
): Promise<void> {
  const ids = (attachments ?? []).flatMap((a) => (a.id ? [a.id] : []));
  if (ids.length === 0) return;
  await trx.updateTable('attachments').set({ message_id: link.messageId, contact_id: link.contactId })
    .where('id', 'in', ids).where('client_id', '=', link.clientId).where('message_id', 'is', null).execute();
}

/** A client's stored attachment and its file path; another client's is "not found". */
export async function getAttachment(db: Db, dataDir: string, clientId: string, id: string): Promise<AttachmentMeta & { file: string; sha256: string; messageId: string | null }> {
  const r = await db.selectFrom('attachments').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
  if (!r) throw notFound('No such attachment');
  return { id: r.id, name: r.file_name, mime: r.mime, size: r.size, createdAt: r.created_at, sha256: r.sha256, messageId: r.message_id, file: path.join(dataDir, 'attachments', r.path) };
}
