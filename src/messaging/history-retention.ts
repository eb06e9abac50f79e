import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/index.ts';

/** What one pass of the retention rule deleted (counts only: the audit log keeps that it happened, not what). */
export interface HistoryPruned {
  messages: number;
  conversations: number;
  attachments: number;
  /** Conversations that lost messages and still exist (summaries of them may retell deleted ones). */
  touchedConversationIds: string[];
}

/** Messages deleted per transaction: short transactions keep the pipeline's writes flowing meanwhile. */
const BATCH = 500;

/**
 * Deletes a client's chat history created before `cutoff` (ISO): messages (their search-index rows
 * go with them through the delete trigger, secure-delete on), the files attached to them and the
 * conversations left empty that had no activity since (their AI rows cascade). Contacts stay.
 * Runs in batches, each one transaction; files are removed after their rows' commit.
 */
export async function pruneHistoryBefore(db: Db, dataDir: string, clientId: string, cutoff: string): Promise<HistoryPruned> {
  const touched = new Set<string>();
  const out: HistoryPruned = { messages: 0, conversations: 0, attachments: 0, touchedConversationIds: [] };
  for (;;) {
    const files: string[] = [];
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('messages').select(['id', 'conversation_id']).where('client_id', '=', clientId).where('created_at', '<', cutoff).limit(BATCH).execute();
      if (!rows.length) return 0;
      const ids = rows.map((r) => r.id);
      for (const r of rows) touched.add(r.conversation_id);
      const atts = await trx.selectFrom('attachments').select(['id', 'path']).where('client_id', '=', clientId).where('message_id', 'in', ids).execute();
      files.push(...atts.map((a) => a.path));
      if (atts.length) await trx.deleteFrom('attachments').where('id', 'in', atts.map((a) => a.id)).execute();
      out.attachments += atts.length;
      await trx.deleteFrom('messages').where('id', 'in', ids).execute();
      return ids.length;
    });
    removeFiles(dataDir, files);
    out.messages += n;
    if (n < BATCH) break;
  }
  const files: string[] = [];
  await db.transaction().execute(async (trx) => {
    // Files never linked to a message (an upload whose send failed) that are as old.
    const loose = await trx.selectFrom('attachments').select(['id', 'path']).where('client_id', '=', clientId).where('message_id', 'is', null).where('created_at', '<', cutoff).execute();
    files.push(...loose.map((a) => a.path));
    if (loose.length) await trx.deleteFrom('attachments').where('id', 'in', loose.map((a) => a.id)).execute();
    out.attachments += loose.length;
    const empty = await trx.deleteFrom('conversations').where('client_id', '=', clientId).where('last_activity_at', '<', cutoff)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('messages').select('messages.id').whereRef('messages.conversation_id', '=', 'conversations.id'))))
      .executeTakeFirst();
    out.conversations = Number(empty.numDeletedRows);
    if (touched.size) {
      const left = await trx.selectFrom('conversations').select('id').where('id', 'in', [...touched]).execute();
      out.touchedConversationIds = left.map((r) => r.id);
    }
  });
  removeFiles(dataDir, files);
  return out;
}

function removeFiles(dataDir: string, rels: string[]): void {
  for (const rel of rels) fs.rmSync(path.join(dataDir, 'attachments', rel), { force: true });
}
