// The AI state as people see it (the inbox's thread header, the REST API): read-only, so a page
// view or a GET changes nothing; the writes happen before every reply (effectiveAiState).
import type { Db } from '../db/index.ts';
import type { AiState, Conversation } from '../messaging/index.ts';
import { getAiSettings } from './ai-settings.ts';
import { getAiConversation } from './thread.ts';

/** The state that holds at `now`: a pause whose time ran out shows as active. */
export function aiStateAt(conv: Pick<Conversation, 'aiState' | 'aiPausedUntil'>, now: Date): { aiState: AiState; aiPausedUntil: string | null } {
  if (conv.aiState === 'paused' && conv.aiPausedUntil && conv.aiPausedUntil <= now.toISOString()) return { aiState: 'active', aiPausedUntil: null };
  return { aiState: conv.aiState, aiPausedUntil: conv.aiState === 'paused' ? conv.aiPausedUntil : null };
}

export interface ConversationAiInfo {
  /** Whether the client's AI assistant is switched on at all. */
  enabled: boolean;
  resumeAfterMinutes: number;
  /** Why and when the AI last handed the conversation to a person (keyword | tool | failures | no_match | restricted). */
  handoffReason: string | null;
  handedOffAt: string | null;
}

/** What the inbox shows beside the state: the client's switch and the last handoff's reason. */
export async function conversationAiInfo(db: Db, conv: Pick<Conversation, 'id' | 'clientId'>): Promise<ConversationAiInfo> {
  const [s, row] = await Promise.all([getAiSettings(db, conv.clientId), getAiConversation(db, conv.id)]);
  return { enabled: s.enabled, resumeAfterMinutes: s.resumeAfterMinutes, handoffReason: row?.handoff_reason ?? null, handedOffAt: row?.handed_off_at ?? null };
}
