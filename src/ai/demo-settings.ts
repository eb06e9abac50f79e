import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { Clock } from '../lib/clock.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { DEMO_FAQ } from './demo-faq.ts';
import { updateAiSettings } from './update-settings.ts';

/**
 * The embedded default's AI: the demo client answers from the demo FAQ with the offline
 * responder (no provider, nothing leaves the machine). Written only while the client has no
 * stored AI settings (a fresh install, or a data file from before these were stored), so a
 * person's later choice always stands. Returns whether it wrote them.
 */
export async function writeDemoAiSettings(db: Db, vault: Vault, clock: Clock, clientId: string): Promise<boolean> {
  const stored = await db.selectFrom('ai_settings').select('client_id').where('client_id', '=', clientId).executeTakeFirst();
  if (stored) return false;
  await updateAiSettings(db, vault, clock, clientId, { enabled: true, provider: 'faq', faq: DEMO_FAQ }, SYSTEM_ACTOR);
  return true;
}
