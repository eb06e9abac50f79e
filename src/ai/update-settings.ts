import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { Clock } from '../lib/clock.ts';
import { recordAudit, type AuditActor } from '../audit/index.ts';
import { assertUsable, getAiSettings, validateAiPatch, writeAiSettings, type AiSettings, type AiSettingsPatch } from './ai-settings.ts';
import { activeConsent, consentRequired, crossesBorder } from './consent.ts';
import { DEFAULT_MODEL } from './defaults.ts';

/**
 * Validates and saves a patch of a client's AI settings (only the fields present change).
 * Turning on, or switching to, a provider abroad without the owner's authorisation answers 409
 * transfer_consent_required; every change is audited (never with the key's value).
 */
export async function updateAiSettings(db: Db, vault: Vault, clock: Clock, clientId: string, input: AiSettingsPatch, actor: AuditActor & { ip?: string }): Promise<AiSettings> {
  const patch = validateAiPatch(input);
  return db.transaction().execute(async (trx) => {
    const current = await getAiSettings(trx, clientId);
    const next: AiSettings = { ...current, ...patch, stopKeywords: current.stopKeywords, startKeywords: current.startKeywords, apiKeySet: patch.apiKey === undefined ? current.apiKeySet : patch.apiKey !== null };
    if (next.provider === 'openai' && !next.model) patch.model = next.model = DEFAULT_MODEL.openai;
    assertUsable(next, next.apiKeySet);
    const touchesDestination = patch.enabled === true || patch.provider !== undefined || patch.locatedInKazakhstan !== undefined || patch.baseUrl !== undefined;
    if (next.enabled && touchesDestination && crossesBorder(next) && !(await activeConsent(trx, clientId, next.provider))) throw consentRequired();
    await writeAiSettings(trx, vault, clock, current, patch, actor.id);
    const changed = Object.keys(patch).filter((k) => k !== 'apiKey');
    await recordAudit(trx, clock, {
      actor, action: 'ai_settings.updated', clientId, targetType: 'ai_settings', targetId: clientId, ip: actor.ip,
      details: { fields: changed, ...(patch.apiKey !== undefined ? { api_key: patch.apiKey === null ? 'cleared' : 'replaced' } : {}), enabled: next.enabled, provider: next.provider },
    });
    return getAiSettings(trx, clientId);
  });
}
