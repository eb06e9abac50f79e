import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { currentActionName, storedNamesFor, type AuditAction } from './actions.ts';

export interface AuditActor {
  id: string | null;
  label: string;
}

/** Who makes a change, as a command takes it: the audit actor and, from HTTP, the request's address. */
export type AuditBy = AuditActor & { ip?: string };

export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  clientId?: string | null;
  targetType?: string;
  targetId?: string;
  ip?: string;
  details?: Record<string, unknown>;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, label: 'system' };

/** Appends one audit row (the table is append-only). Pass a transaction to commit with the change. */
export async function recordAudit(db: Db, clock: Clock, e: AuditEntry): Promise<void> {
  const at = clock.now();
  await db
    .insertInto('audit_log')
    .values({
      id: newId(at.getTime()),
      at: at.toISOString(),
      actor_id: e.actor.id,
      actor_label: e.actor.label,
      action: e.action,
      client_id: e.clientId ?? null,
      target_type: e.targetType ?? null,
      target_id: e.targetId ?? null,
      ip: e.ip ?? '',
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

/** The label an erased member's entries carry instead of their e-mail (the only UPDATE the table allows, migration 0014). */
export const erasedMemberLabel = (userId: string) => `erased-member:${userId}`;

/**
 * A member's erasure: their entries stay (that it happened, by whom as an internal id) but the
 * label, their e-mail, becomes erasedMemberLabel. Returns the entries changed.
 */
export async function pseudonymiseActor(db: Db, userId: string): Promise<number> {
  const r = await db.updateTable('audit_log').set({ actor_label: erasedMemberLabel(userId) }).where('actor_id', '=', userId).where('actor_label', '!=', erasedMemberLabel(userId)).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface AuditFilter {
  clientId?: string | null;
  /** Restricts to these clients (e.g. those that granted support access); an empty list matches nothing. */
  clientIds?: string[];
  action?: string;
  /** Entries about this one target (e.g. a webhook's id). */
  targetId?: string;
  actor?: string;
  from?: string;
  to?: string;
  before?: string;
  limit?: number;
}

export interface AuditRow {
  id: string;
  at: string;
  actorLabel: string;
  action: string;
  clientId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string;
  details: string;
}

/**
 * Newest first; `clientId` undefined means every client (staff), a value restricts to that client.
 * Rows read under the current action names (an old row's stored name is mapped, see actions.ts).
 */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(Math.min(f.limit ?? 100, 10000));
  if (f.clientId !== undefined) q = q.where('client_id', f.clientId === null ? 'is' : '=', f.clientId);
  if (f.clientIds !== undefined) {
    if (!f.clientIds.length) return [];
    q = q.where('client_id', 'in', f.clientIds);
  }
  if (f.action) {
    const prefix = f.action;
    const { exclude, include } = storedNamesFor(prefix);
    q = q.where((eb) => {
      const byPrefix = exclude.length ? eb.and([eb('action', 'like', `${prefix}%`), eb('action', 'not in', exclude)]) : eb('action', 'like', `${prefix}%`);
      return include.length ? eb.or([byPrefix, eb('action', 'in', include)]) : byPrefix;
    });
  }
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.actor) q = q.where('actor_label', 'like', `%${f.actor}%`);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.before) q = q.where('id', '<', f.before);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id, at: r.at, actorLabel: r.actor_label, action: currentActionName(r.action), clientId: r.client_id,
    targetType: r.target_type, targetId: r.target_id, ip: r.ip, details: r.details,
  }));
}

const csvCell = (v: string | null) => {
  const s = v ?? '';
  // A leading = + - @ (or tab/CR, which some spreadsheets skip) would run as a formula: prefix with a quote (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function auditToCsv(rows: AuditRow[]): string {
  const head = ['at', 'actor', 'action', 'client_id', 'target_type', 'target_id', 'ip', 'details'];
  const lines = rows.map((r) => [r.at, r.actorLabel, r.action, r.clientId, r.targetType, r.targetId, r.ip, r.details].map(csvCell).join(','));
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}

/**
 * The CSV export of the entries a filter selects (at most `limit`), itself audited as
 * `audit.exported` under the viewer's client (null for operator staff).
 */
export async function exportAudit(db: Db, clock: Clock, filter: AuditFilter, by: AuditBy, viewerClientId: string | null): Promise<string> {
  const rows = await listAudit(db, filter);
  await recordAudit(db, clock, { actor: by, action: 'audit.exported', clientId: viewerClientId, ip: by.ip, details: { rows: rows.length } });
  return auditToCsv(rows);
}
