import type { Db } from '../db/index.ts';
import type { DataRecipient } from '../lib/data-recipient.ts';
import { getAiSettings } from './ai-settings.ts';

/** The AI provider the client's assistant sends messages to, when one is on: OpenAI (abroad) or a compatible endpoint (as the owner declared it); the offline FAQ responder sends nothing. */
export async function aiRecipients(db: Db, clientId: string): Promise<DataRecipient[]> {
  const s = await getAiSettings(db, clientId);
  if (!s.enabled || s.provider === 'faq') return [];
  if (s.provider === 'openai') return [{ kind: 'ai', name: 'OpenAI', url: s.baseUrl ?? 'https://api.openai.com/v1', abroad: true }];
  return [{ kind: 'ai', name: s.model || 'OpenAI-compatible', url: s.baseUrl ?? '', abroad: !s.locatedInKazakhstan }];
}
