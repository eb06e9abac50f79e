// The templates as the inbox's reply box offers them (typed as /code): each rendered for the
// conversation's contact, in their language (else the client's default).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { findContact, findConversation } from '../messaging/index.ts';
import { automationRevision } from './store.ts';
import { loadClientAutomation } from './client-set.ts';
import { conversationLanguage, renderFor } from './actions.ts';

export async function templatesForConversation(db: Db, clock: Clock, clientId: string, conversationId: string): Promise<Array<{ code: string; text: string }>> {
  const revision = await automationRevision(db, clientId);
  if (revision === 0) return [];
  const conversation = await findConversation(db, conversationId);
  if (conversation?.clientId !== clientId) return [];
  const contact = await findContact(db, conversation.contactId);
  if (!contact) return [];
  const now = clock.now();
  const set = await loadClientAutomation(db, clientId, revision, now.getTime());
  const lang = await conversationLanguage(db, conversationId, set.defaultLanguage);
  return [...set.templates.values()].map((t) => ({ code: t.code, text: renderFor(set, t, contact, lang, now) })).filter((t) => t.text);
}
