import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { getSetting } from '../settings/index.ts';
import { anyMemberOnline } from '../auth/index.ts';
import type { ResponderStep } from './responders.ts';
import type { Conversation } from './types.ts';

export interface AutoReplySettings {
  enabled: boolean;
  text: string;
  /** A member counts as online when their session was active within this many minutes. */
  onlineMinutes: number;
  /** The same conversation gets the auto-reply again only after this many minutes. */
  repeatAfterMinutes: number;
}

export async function autoReplySettings(db: Db, vault: Vault, clientId: string): Promise<AutoReplySettings> {
  const [enabled, text, online, repeat] = await Promise.all([
    getSetting(db, vault, 'auto_reply.enabled', clientId), getSetting(db, vault, 'auto_reply.text', clientId),
    getSetting(db, vault, 'auto_reply.online_minutes', clientId), getSetting(db, vault, 'auto_reply.repeat_after_minutes', clientId),
  ]);
  return { enabled: enabled === 'true', text: text ?? '', onlineMinutes: Number(online ?? 10), repeatAfterMinutes: Number(repeat ?? 60) };
}

/**
 * Whether an automatic "we are away" answer (this step's, or the automation room's out-of-hours
 * template) may go to the conversation now: not within `repeat_after_minutes` of the last one.
 */
export function autoReplyDue(conversation: Conversation, s: AutoReplySettings, now: Date): boolean {
  return !conversation.lastAutoReplyAt || now.getTime() - new Date(conversation.lastAutoReplyAt).getTime() >= s.repeatAfterMinutes * 60_000;
}

/** Records an automatic "we are away" answer (in the caller's transaction): the next waits repeat_after_minutes. */
export async function markAutoRepliedIn(trx: Db, conversationId: string, at: string): Promise<void> {
  await trx.updateTable('conversations').set({ last_auto_reply_at: at }).where('id', '=', conversationId).execute();
}

/**
 * The responder step shipped with the messaging core: when the client enabled it and no member
 * is online, answer with the client's text — at most once per conversation per
 * `repeat_after_minutes`, and not while an agent has taken the conversation over, nor to a
 * contact who objected (STOP) or restricted processing.
 */
export function offlineAutoReplyStep(deps: { db: Db; clock: Clock; vault: Vault }): ResponderStep {
  return {
    name: 'offline-auto-reply',
    order: 900,
    async respond({ conversation, contact }) {
      // A contact who objected to automatic messages (STOP) or restricted processing gets none.
      if (contact.objected || contact.restricted) return { action: 'pass' };
      const s = await autoReplySettings(deps.db, deps.vault, conversation.clientId);
      if (!s.enabled || !s.text.trim()) return { action: 'pass' };
      const now = deps.clock.now();
      if (conversation.aiState === 'paused' && (!conversation.aiPausedUntil || conversation.aiPausedUntil > now.toISOString())) return { action: 'pass' };
      if (!autoReplyDue(conversation, s, now)) return { action: 'pass' };
      if (await anyMemberOnline(deps.db, deps.clock, conversation.clientId, s.onlineMinutes)) return { action: 'pass' };
      const at = now.toISOString();
      return {
        action: 'answer', text: s.text, authorKind: 'system',
        apply: (trx) => markAutoRepliedIn(trx, conversation.id, at),
      };
    },
  };
}
