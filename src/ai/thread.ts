// The conversation as the AI sees it: the recent turns (a bounded read, however long the
// thread) and the per-conversation bookkeeping row (rolling summary, disclosure, handoff).
import type { Selectable } from 'kysely';
import type { AiConversationsTable, Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { recentThread } from '../messaging/index.ts';
import { DEFAULT_BUDGET, foldSummary, LOAD_LIMIT, selectWindow, type ContextBudget, type ThreadMessage } from './context.ts';

export interface Turn extends ThreadMessage {
  authorKind: string;
  direction: string;
  createdAt: string;
}

export type AiConversation = Selectable<AiConversationsTable>;

/** The newest `limit` messages of a conversation as turns, oldest first (messaging's bounded thread read). */
export async function loadRecentTurns(db: Db, conversationId: string, limit = LOAD_LIMIT): Promise<Turn[]> {
  return (await recentThread(db, conversationId, limit)).map((r) => {
    let text = r.text;
    if (!text.trim()) {
      const names = r.attachments.map((a) => a.name ?? 'file');
      text = names.length ? `[attachment: ${names.join(', ')}]` : '';
    }
    const role: ThreadMessage['role'] = r.direction === 'in' ? 'customer' : r.authorKind === 'agent' ? 'agent' : 'assistant';
    return { id: r.id, role, text, authorKind: r.authorKind, direction: r.direction, createdAt: r.createdAt };
  });
}

/** Turns the model should see: no empty ones, no system lines (disclosure, notices). */
export const conversational = (turns: Turn[]) => turns.filter((t) => t.text && t.authorKind !== 'system');

export async function getAiConversation(db: Db, conversationId: string): Promise<AiConversation | undefined> {
  return db.selectFrom('ai_conversations').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
}

/** Creates the bookkeeping row if missing and applies `set` (in the caller's transaction). */
export async function upsertAiConversation(db: Db, clock: Clock, ids: { conversationId: string; clientId: string; contactId: string }, set: Partial<Omit<AiConversation, 'conversation_id' | 'client_id' | 'contact_id'>>): Promise<void> {
  const now = clock.now().toISOString();
  const values = { ...set, updated_at: now };
  await db.insertInto('ai_conversations').values({ conversation_id: ids.conversationId, client_id: ids.clientId, contact_id: ids.contactId, ...values })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(values)).execute();
}

export interface PreparedContext {
  window: ThreadMessage[];
  summary: string | null;
  /** The summary to store when the reply commits (null: unchanged). */
  nextSummary: { summary: string | null; throughId: string } | null;
}

/**
 * Splits the loaded turns into the recent window and the rest; folds the turns that left the
 * window since the last time into the rolling summary (only those newer than what it holds).
 */
export function prepareContext(turns: Turn[], state: Pick<AiConversation, 'summary' | 'summary_through_id'> | undefined, budget: ContextBudget = DEFAULT_BUDGET): PreparedContext {
  const { window, older } = selectWindow(conversational(turns), budget);
  const through = state?.summary_through_id ?? '';
  const fresh = older.filter((m) => m.id > through);
  if (fresh.length === 0) return { window, summary: state?.summary ?? null, nextSummary: null };
  const summary = foldSummary(state?.summary ?? null, fresh, budget);
  return { window, summary, nextSummary: { summary, throughId: fresh[fresh.length - 1].id } };
}

/**
 * Forgets the rolling summaries of these conversations (chat-history retention deleted messages
 * they may retell); the next reply folds a new one from what is left.
 */
export async function forgetSummaries(db: Db, conversationIds: readonly string[]): Promise<number> {
  if (!conversationIds.length) return 0;
  const r = await db.updateTable('ai_conversations').set({ summary: null, summary_through_id: null }).where('conversation_id', 'in', [...conversationIds])
    .where('summary', 'is not', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
