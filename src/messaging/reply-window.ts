import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { getSetting } from '../settings/index.ts';
import type { AuthorKind, ChannelRules, Conversation } from './types.ts';

/**
 * Whether and how the business may write into a conversation now, by its channel's window:
 * - `open`: anything may be sent (no window, or inside it) until `until` (when there is one);
 * - `human_only`: past the window, only a person's message, tagged (Instagram's HUMAN_AGENT), until `until`;
 * - `closed`: nothing may be sent until the customer writes again (`reason` says why).
 */
export type ReplyWindow =
  | { state: 'open'; until: string | null }
  | { state: 'human_only'; until: string; tag: string }
  | { state: 'closed'; reason: 'no_customer_message' | 'window_closed' | 'human_window_closed' };

/**
 * The reply window of a conversation, from its channel's rules and the customer's last message.
 * `humanTagEnabled`: the client lets its people answer past the window with the channel's tag.
 */
export function replyWindow(rules: Pick<ChannelRules, 'replyWindowMs' | 'humanAgentWindow'>, lastInboundAt: string | null, now: Date, humanTagEnabled: boolean): ReplyWindow {
  if (rules.replyWindowMs === null) return { state: 'open', until: null };
  if (!lastInboundAt) return { state: 'closed', reason: 'no_customer_message' };
  const last = new Date(lastInboundAt).getTime();
  const until = last + rules.replyWindowMs;
  if (now.getTime() < until) return { state: 'open', until: new Date(until).toISOString() };
  const human = rules.humanAgentWindow;
  if (!human || !humanTagEnabled) return { state: 'closed', reason: 'window_closed' };
  const humanUntil = last + human.ms;
  if (now.getTime() < humanUntil) return { state: 'human_only', until: new Date(humanUntil).toISOString(), tag: human.tag };
  return { state: 'closed', reason: 'human_window_closed' };
}

/**
 * Whether a message by this author may go now, and with which tag; a refusal says why in a
 * sentence (`reason`) and as a catalog key (`key`, views/i18n: send.*) for the thread.
 */
export function mayReplyNow(window: ReplyWindow, authorKind: AuthorKind): { ok: true; tag?: string } | { ok: false; reason: string; key: string } {
  if (window.state === 'open') return { ok: true };
  if (window.state === 'human_only') {
    if (authorKind === 'agent') return { ok: true, tag: window.tag };
    return { ok: false, key: 'send.human_only', reason: 'Outside the 24-hour window only a person may answer (tagged as a human agent); automatic replies are not allowed' };
  }
  if (window.reason === 'no_customer_message') return { ok: false, key: 'send.no_customer_message', reason: 'The customer has not written on this channel: only they can open the conversation' };
  if (window.reason === 'human_window_closed') return { ok: false, key: 'send.human_window_closed', reason: 'More than 7 days have passed since the customer’s last message: nothing can be sent until they write again' };
  return { ok: false, key: 'send.window_closed', reason: 'More than 24 hours have passed since the customer’s last message: nothing can be sent until they write again' };
}

/** A conversation's reply window now, the client's setting for the tagged human window read fresh. */
export async function replyWindowNow(
  deps: { db: Db; vault: Vault; clock: Clock }, rules: Pick<ChannelRules, 'replyWindowMs' | 'humanAgentWindow'>, conversation: Pick<Conversation, 'clientId' | 'lastInboundAt'>,
): Promise<ReplyWindow> {
  const setting = rules.humanAgentWindow?.setting;
  const humanTag = !!setting && (await getSetting(deps.db, deps.vault, setting, conversation.clientId)) === 'true';
  return replyWindow(rules, conversation.lastInboundAt, deps.clock.now(), humanTag);
}
