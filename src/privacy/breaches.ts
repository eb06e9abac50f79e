// The breach register (operator): when a breach was detected, what happened, which clients it
// affects, and the deadlines to notify: the Kazakh authority within one working day, the
// supervisory authority within 72 hours under GDPR (Art. 33), counted in operator.timezone.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { oneWorkingDayAfter, operatorTimeZone } from './operator-time.ts';

const GDPR_HOURS = 72;
const MAX_DESCRIPTION = 10_000;

export interface Breach {
  id: string;
  detectedAt: string;
  description: string;
  clientIds: string[];
  authorityNotifiedAt: string | null;
  clientsNotifiedAt: string | null;
  recordedAt: string;
  /** The end of the next working day after detection, in the operator's time zone. */
  kzAuthorityDeadline: string;
  /** 72 hours after detection. */
  gdprDeadline: string;
}

/** Both deadlines of a breach detected at `detectedAt`. */
export function breachDeadlines(detectedAt: Date, timeZone: string): { kzAuthority: Date; gdpr: Date } {
  return { kzAuthority: oneWorkingDayAfter(detectedAt, timeZone), gdpr: new Date(detectedAt.getTime() + GDPR_HOURS * 3_600_000) };
}

type Row = { id: string; detected_at: string; description: string; authority_notified_at: string | null; clients_notified_at: string | null; recorded_at: string };

async function withClients(db: Db, rows: Row[], timeZone: string): Promise<Breach[]> {
  if (rows.length === 0) return [];
  const links = await db.selectFrom('breach_clients').select(['breach_id', 'client_id']).where('breach_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => {
    const d = breachDeadlines(new Date(r.detected_at), timeZone);
    return {
      id: r.id, detectedAt: r.detected_at, description: r.description, clientIds: links.filter((l) => l.breach_id === r.id).map((l) => l.client_id),
      authorityNotifiedAt: r.authority_notified_at, clientsNotifiedAt: r.clients_notified_at, recordedAt: r.recorded_at,
      kzAuthorityDeadline: d.kzAuthority.toISOString(), gdprDeadline: d.gdpr.toISOString(),
    };
  });
}

export interface NewBreach {
  detectedAt: string;
  description: string;
  clientIds: string[];
}

/** Records a breach; the clients must exist. */
export async function recordBreach(db: Db, clock: Clock, input: NewBreach, by: AuditBy): Promise<Breach> {
  const detected = new Date(input.detectedAt);
  if (!input.detectedAt || Number.isNaN(detected.getTime())) throw badRequest('Enter when the breach was detected', 'detected_at', 'breach_time_invalid');
  if (detected.getTime() > clock.now().getTime() + 60_000) throw badRequest('The detection time is in the future', 'detected_at', 'breach_time_future');
  const description = input.description.trim();
  if (!description) throw badRequest('Describe what happened', 'description', 'breach_description_empty');
  if (description.length > MAX_DESCRIPTION) throw badRequest(`At most ${MAX_DESCRIPTION} characters`, 'description', 'breach_description_too_long', { max: MAX_DESCRIPTION });
  const clientIds = [...new Set(input.clientIds)];
  if (clientIds.length) {
    const found = await db.selectFrom('clients').select('id').where('id', 'in', clientIds).execute();
    if (found.length !== clientIds.length) throw badRequest('An affected client does not exist', 'client_ids', 'breach_client_unknown');
  }
  const now = clock.now();
  const row = { id: newId(now.getTime()), detected_at: detected.toISOString(), description, authority_notified_at: null, clients_notified_at: null, recorded_by: by.id, recorded_at: now.toISOString() };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('breaches').values(row).execute();
    if (clientIds.length) await trx.insertInto('breach_clients').values(clientIds.map((c) => ({ breach_id: row.id, client_id: c }))).execute();
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'breach.recorded', targetType: 'breach', targetId: row.id, details: { clients: clientIds.length } });
  });
  return (await withClients(db, [row], await operatorTimeZone(db)))[0];
}

/** Marks that the authority or the clients were notified (now). */
export async function markBreachNotified(db: Db, clock: Clock, id: string, who: 'authority' | 'clients', by: AuditBy): Promise<void> {
  const col = who === 'authority' ? 'authority_notified_at' : 'clients_notified_at';
  // The mark and its audit entry commit together.
  const marked = await db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('breaches').set({ [col]: clock.now().toISOString() }).where('id', '=', id).where(col, 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'breach.updated', targetType: 'breach', targetId: id, details: { notified: who } });
    return true;
  });
  if (!marked) await getBreach(db, id); // not found is a 404; already marked changes nothing
}

export async function getBreach(db: Db, id: string): Promise<Breach> {
  const r = await db.selectFrom('breaches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('No such breach');
  return (await withClients(db, [r], await operatorTimeZone(db)))[0];
}

/** The register, newest first; with `clientId`, only the breaches affecting that client. Cursor: the last id. */
export async function listBreaches(db: Db, f: { clientId?: string; cursor?: string; limit?: number }): Promise<{ data: Breach[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  let q = db.selectFrom('breaches').selectAll('breaches');
  if (f.clientId) q = q.innerJoin('breach_clients', 'breach_clients.breach_id', 'breaches.id').where('breach_clients.client_id', '=', f.clientId);
  if (f.cursor) q = q.where('breaches.id', '<', f.cursor);
  const rows = await q.orderBy('breaches.id', 'desc').limit(limit + 1).execute();
  const page = await withClients(db, rows.slice(0, limit), await operatorTimeZone(db));
  return { data: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}
