// STOP and START as a responder step (order 50, before rules and the AI, whether or not the AI is
// enabled). A customer who writes STOP (or a client's word for it, in any word form and case, in a
// short message) objects to automatic messages: the contact is marked (messaging's
// setObjectionIn) and gets exactly one confirmation in their language; from then on no AI reply,
// auto-reply or disclosure goes to them (gate.ts aiApplies, messaging's auto-reply) until they
// write START or an agent lifts the objection. People can still write to them.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { queueOutbound, setObjectionIn, type ResponderStep } from '../messaging/index.ts';
import { getAiSettings } from './ai-settings.ts';
import { BUILT_IN_START_KEYWORDS, BUILT_IN_STOP_KEYWORDS, pickLanguageLine, START_CONFIRMATION, STOP_CONFIRMATION } from './defaults.ts';
import { isCommand } from './keywords.ts';
import { detectLanguage } from './text-normalise.ts';

export const STOP_STEP_ORDER = 50;

/**
 * `onObjectionChanged` (the composition passes the privacy room's recorder): runs in the same
 * transaction when a keyword changed the objection, so the request register records the customer's
 * own STOP (objection) or START (objection_lifted) with them as the requester.
 */
export function stopStartStep(deps: { db: Db; clock: Clock; onObjectionChanged?: (trx: Db, ref: { clientId: string; contactId: string }, objected: boolean) => Promise<void> }): ResponderStep {
  return {
    name: 'stop-start',
    order: STOP_STEP_ORDER,
    async respond({ message, conversation, contact }) {
      if (message.direction !== 'in' || !message.text.trim()) return { action: 'pass' };
      const s = await getAiSettings(deps.db, conversation.clientId);
      const stop = isCommand(message.text, [...BUILT_IN_STOP_KEYWORDS, ...s.stopKeywords]);
      const start = !stop && isCommand(message.text, [...BUILT_IN_START_KEYWORDS, ...s.startKeywords]);
      if (!stop && !(start && contact.objected)) return { action: 'pass' };
      // STOP again, once objecting: nothing more is said.
      if (stop && contact.objected) return { action: 'handled' };
      // The language of this message when the client answers in it, else the client's first.
      const detected = detectLanguage(message.text, s.languages[0] ?? 'ru');
      const text = pickLanguageLine(stop ? STOP_CONFIRMATION : START_CONFIRMATION, s.languages.includes(detected) ? detected : s.languages[0] ?? 'ru');
      const ref = { clientId: conversation.clientId, contactId: contact.id };
      return {
        action: 'handled',
        // The confirmation goes out only with the change itself: two STOPs processed at once confirm once.
        apply: async (trx, events) => {
          if (!(await setObjectionIn(trx, deps.clock, events, ref, stop, { ...SYSTEM_ACTOR, label: 'customer (keyword)' }, stop ? 'stop_keyword' : 'start_keyword'))) return;
          await deps.onObjectionChanged?.(trx, ref, stop);
          const { events: e } = await queueOutbound(trx, deps.clock, conversation, { text, authorKind: 'system' });
          events.push(...e);
        },
      };
    },
  };
}
