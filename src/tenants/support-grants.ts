import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';

export interface SupportGrant {
  id: string;
  clientId: string;
  grantedBy: string;
  reason: string;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export const MAX_GRANT_HOURS = 24 * 14;

/** An owner lets operator support staff see the client's data for a limited time (audited as `support_access.granted`). */
export async function grantSupportAccess(db: Db, clock: Clock, input: { clientId: string; grantedBy: string; hours: number; reason?: string }, by: AuditBy): Promise<SupportGrant> {
  if (!Number.isInteger(input.hours) || input.hours < 1 || input.hours > MAX_GRANT_HOURS) {
    throw badRequest(`Support access lasts from 1 to ${MAX_GRANT_HOURS} hours`, 'hours', 'invalid_hours');
  }
  const now = clock.now();
  const g = {
    id: newId(), client_id: input.clientId, granted_by: input.grantedBy, reason: input.reason?.trim().slice(0, 500) ?? '',
    starts_at: now.toISOString(), expires_at: new Date(now.getTime() + input.hours * 3600_000).toISOString(), revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('support_grants').values(g).execute();
    await recordAudit(trx, clock, { actor: by, action: 'support_access.granted', clientId: input.clientId, targetType: 'support_grant', targetId: g.id, ip: by.ip, details: { hours: input.hours } });
  });
  return { id: g.id, clientId: g.client_id, grantedBy: g.granted_by, reason: g.reason, startsAt: g.starts_at, expiresAt: g.expires_at, revokedAt: null };
}

/** Ends a grant at once (audited as `support_access.revoked`). */
export async function revokeSupportAccess(db: Db, clock: Clock, clientId: string, grantId: string, by: AuditBy): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('support_grants').set({ revoked_at: clock.now().toISOString() }).where('id', '=', grantId).where('client_id', '=', clientId).where('revoked_at', 'is', null).execute();
    await recordAudit(trx, clock, { actor: by, action: 'support_access.revoked', clientId, targetType: 'support_grant', targetId: grantId, ip: by.ip });
  });
}

export async function activeSupportGrant(db: Db, clock: Clock, clientId: string): Promise<SupportGrant | undefined> {
  const now = clock.now().toISOString();
  const r = await db.selectFrom('support_grants').selectAll().where('client_id', '=', clientId).where('revoked_at', 'is', null)
    .where('starts_at', '<=', now).where('expires_at', '>', now).orderBy('expires_at', 'desc').executeTakeFirst();
  return r && { id: r.id, clientId: r.client_id, grantedBy: r.granted_by, reason: r.reason, startsAt: r.starts_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}

export async function listSupportGrants(db: Db, clientId: string): Promise<SupportGrant[]> {
  const rows = await db.selectFrom('support_grants').selectAll().where('client_id', '=', clientId).orderBy('starts_at', 'desc').limit(50).execute();
  return rows.map((r) => ({ id: r.id, clientId: r.client_id, grantedBy: r.granted_by, reason: r.reason, startsAt: r.starts_at, expiresAt: r.expires_at, revokedAt: r.revoked_at }));
}

/** Clients whose support grant is active now (what a `support` user may see). */
export async function clientIdsWithActiveGrants(db: Db, clock: Clock): Promise<string[]> {
  const now = clock.now().toISOString();
  const rows = await db.selectFrom('support_grants').select('client_id').distinct().where('revoked_at', 'is', null)
    .where('starts_at', '<=', now).where('expires_at', '>', now).execute();
  return rows.map((r) => r.client_id);
}

/** One grant of this client (another client's grant is not found). */
export async function findSupportGrant(db: Db, clientId: string, grantId: string): Promise<SupportGrant | undefined> {
  const r = await db.selectFrom('support_grants').selectAll().where('client_id', '=', clientId).where('id', '=', grantId).executeTakeFirst();
  return r && { id: r.id, clientId: r.client_id, grantedBy: r.granted_by, reason: r.reason, startsAt: r.starts_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}
