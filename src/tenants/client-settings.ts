import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import type { AuditBy } from '../audit/index.ts';
import { setSettings } from '../settings/index.ts';
import { updateClient, validateClientInput } from './clients.ts';

/**
 * A client's settings change (its settings screen, PUT /api/v1/settings/{area}, `habar settings set
 * --client`): the registered client-scope settings and the client's time zone, which lives on the
 * client itself. All or none, in one transaction, audited once as `settings.updated` with the keys.
 */
export async function updateClientSettings(
  db: Db, vault: Vault, clock: Clock, clientId: string, change: { settings: Record<string, string | null>; timezone?: string }, by: AuditBy,
): Promise<void> {
  const { timezone } = change;
  if (timezone !== undefined) validateClientInput({ timezone }, false);
  await setSettings(db, vault, clock, change.settings, clientId, by, async (trx) => {
    if (timezone === undefined) return [];
    await updateClient(trx, clock, clientId, { timezone });
    return ['timezone'];
  });
}
