import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { forbidden, notFound } from '../lib/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { activeSupportGrant } from './support-grants.ts';

export interface Principal {
  id: string;
  email: string;
  role: string;
  clientId: string | null;
}

/**
 * The one tenancy check. Admins reach every client; support staff only during an active grant
 * (each access is audited); members only their own client (others look like "not found").
 */
export async function assertClientAccess(db: Db, clock: Clock, p: Principal, clientId: string, meta: { ip: string; what: string }): Promise<void> {
  if (p.role === 'admin') return;
  if (p.role === 'support') {
    const grant = await activeSupportGrant(db, clock, clientId);
    if (!grant) throw forbidden('This client has not granted support access, or the grant has expired');
    await recordAudit(db, clock, { actor: { id: p.id, label: p.email }, action: 'support_access.used', clientId, ip: meta.ip, details: { what: meta.what, grant_id: grant.id } });
    return;
  }
  if (p.clientId !== clientId) throw notFound('No such client');
}

export function assertRole(p: Principal, roles: string[]): void {
  if (!roles.includes(p.role)) throw forbidden('Your role may not do this');
}
