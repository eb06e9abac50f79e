// Cross-border processing needs the client owner's recorded authorisation (who, when, which
// policy text). The gate is checked right before every provider call, so a withdrawal stops
// calls at once. A local endpoint (compatible, located in Kazakhstan) and the offline FAQ
// responder transfer nothing abroad and need none.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, badRequest, conflict, forbidden } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { AiProvider } from './ai-settings.ts';
import { TRANSFER_POLICY_VERSION } from './defaults.ts';

/**
 * What a transfer register entry authorises: an AI provider abroad, or copies of the client's data
 * in a second location (off-site backups; policy §5.1: one location unless the client asks otherwise).
 */
export type TransferKind = AiProvider | 'offsite_backup';
export const OFFSITE_BACKUP: TransferKind = 'offsite_backup';

export interface TransferConsent {
  id: string;
  clientId: string;
  provider: 'openai' | 'compatible' | 'offsite_backup';
  destination: string;
  policyVersion: string;
  recordedBy: string;
  recordedByLabel: string;
  recordedAt: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
}

export interface ConsentActor {
  id: string;
  email: string;
  role: string;
  clientId: string | null;
}

/** Whether this provider choice sends data out of Kazakhstan. */
export function crossesBorder(s: { provider: AiProvider; locatedInKazakhstan: boolean }): boolean {
  return s.provider === 'openai' || (s.provider === 'compatible' && !s.locatedInKazakhstan);
}

export const consentRequired = () =>
  new AppError('transfer_consent_required', 'This provider processes data outside Kazakhstan: the client owner must first record an authorisation for the transfer in the AI settings screen', 409);

type Row = { id: string; client_id: string; provider: string; destination: string; policy_version: string; recorded_by: string; recorded_by_label: string; recorded_at: string; withdrawn_at: string | null; withdrawn_by: string | null };
const toConsent = (r: Row): TransferConsent => ({
  id: r.id, clientId: r.client_id, provider: r.provider as TransferConsent['provider'], destination: r.destination, policyVersion: r.policy_version,
  recordedBy: r.recorded_by, recordedByLabel: r.recorded_by_label, recordedAt: r.recorded_at, withdrawnAt: r.withdrawn_at, withdrawnBy: r.withdrawn_by,
});

/** The authorisation in force for a provider, if any. */
export async function activeConsent(db: Db, clientId: string, provider: TransferKind): Promise<TransferConsent | undefined> {
  if (provider === 'faq') return undefined;
  const r = await db.selectFrom('transfer_consents').selectAll().where('client_id', '=', clientId).where('provider', '=', provider)
    .where('withdrawn_at', 'is', null).orderBy('recorded_at', 'desc').executeTakeFirst();
  return r && toConsent(r);
}

/** Every authorisation ever recorded for the client, newest first (the history stays). */
export async function listConsents(db: Db, clientId: string): Promise<TransferConsent[]> {
  return (await db.selectFrom('transfer_consents').selectAll().where('client_id', '=', clientId).orderBy('recorded_at', 'desc').execute()).map(toConsent);
}

/** Active clients with no request in force for this kind (e.g. off-site copies), by name: the operator's warning. */
export async function clientsWithoutConsent(db: Db, kind: TransferKind): Promise<Array<{ id: string; name: string; slug: string }>> {
  return db.selectFrom('clients').select(['id', 'name', 'slug']).where('status', '=', 'active')
    .where('id', 'not in', db.selectFrom('transfer_consents').select('client_id').where('provider', '=', kind).where('withdrawn_at', 'is', null))
    .orderBy('name').execute();
}

/** Throws transfer_consent_required unless the settings' provider may be called now. */
export async function assertTransferAllowed(db: Db, clientId: string, s: { provider: AiProvider; locatedInKazakhstan: boolean }): Promise<void> {
  if (!crossesBorder(s)) return;
  if (!(await activeConsent(db, clientId, s.provider))) throw consentRequired();
}

function assertOwner(actor: ConsentActor, clientId: string): void {
  if (actor.role !== 'owner' || actor.clientId !== clientId) throw forbidden('Only the client\'s owner may authorise or withdraw a cross-border transfer');
}

/** The owner authorises transfers to a provider abroad under the current policy text. */
export async function recordTransferConsent(db: Db, clock: Clock, actor: ConsentActor, input: { clientId: string; provider: TransferKind; destination?: string; ip?: string }): Promise<TransferConsent> {
  assertOwner(actor, input.clientId);
  if (input.provider === 'faq') throw badRequest('The offline FAQ responder transfers nothing', 'provider');
  if (await activeConsent(db, input.clientId, input.provider)) throw conflict('An authorisation for this provider is already in force', 'consent_exists');
  const now = clock.now().toISOString();
  const row = {
    id: newId(clock.now().getTime()), client_id: input.clientId, provider: input.provider, destination: input.destination ?? '',
    policy_version: TRANSFER_POLICY_VERSION, recorded_by: actor.id, recorded_by_label: actor.email, recorded_at: now, withdrawn_at: null, withdrawn_by: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('transfer_consents').values(row).execute();
    await recordAudit(trx, clock, { actor: { id: actor.id, label: actor.email }, action: 'ai_consent.recorded', clientId: input.clientId, targetType: 'transfer_consent', targetId: row.id, ip: input.ip, details: { provider: input.provider, destination: row.destination, policy_version: row.policy_version } });
  });
  return toConsent(row);
}

/** Withdraws the authorisation: from this moment no call goes to that provider. */
export async function withdrawTransferConsent(db: Db, clock: Clock, actor: ConsentActor, input: { clientId: string; provider: TransferKind; ip?: string }): Promise<boolean> {
  assertOwner(actor, input.clientId);
  const now = clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('transfer_consents').set({ withdrawn_at: now, withdrawn_by: actor.id })
      .where('client_id', '=', input.clientId).where('provider', '=', input.provider).where('withdrawn_at', 'is', null).executeTakeFirst();
    const n = Number(r.numUpdatedRows);
    if (n > 0) await recordAudit(trx, clock, { actor: { id: actor.id, label: actor.email }, action: 'ai_consent.withdrawn', clientId: input.clientId, targetType: 'transfer_consent', ip: input.ip, details: { provider: input.provider } });
    return n > 0;
  });
}

/** A member's erasure: the consents they recorded stay (the authorisation holds) under a pseudonym instead of their e-mail. */
export async function pseudonymiseConsentRecorder(trx: Db, userId: string, pseudonym: string): Promise<void> {
  await trx.updateTable('transfer_consents').set({ recorded_by_label: pseudonym }).where('recorded_by', '=', userId).execute();
}
