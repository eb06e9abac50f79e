// The request register (policy 7.7: answered within 30 days): every data-subject or client request
// with its kind, requester, received date, due date, status, progress and evidence of what was done.
import type { Selectable } from 'kysely';
import type { Db, PrivacyRequestsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { storedSettings } from '../settings/index.ts';
import { addDays, localDate } from './operator-time.ts';

export const REQUEST_KINDS = ['client_export', 'contact_export', 'erasure', 'restriction', 'objection', 'restriction_lifted', 'objection_lifted'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ['received', 'running', 'done', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Who asked: the person themselves (STOP), a member, an API key, the operator, or the appliance (a minor's data). */
export interface Requester {
  kind: 'contact' | 'member' | 'api_key' | 'operator' | 'system';
  /** An internal id (the contact's, the user's, the key's); never a name or a number. */
  id: string | null;
}

export interface PrivacyRequest {
  id: string;
  clientId: string;
  contactId: string | null;
  kind: RequestKind;
  status: RequestStatus;
  progress: number;
  requester: Requester;
  receivedAt: string;
  /** YYYY-MM-DD in the client's time zone. */
  dueDate: string;
  completedAt: string | null;
  evidence: Record<string, unknown>;
  error: string | null;
  /** Under the data directory; the API shows a download URL instead. */
  downloadPath: string | null;
  expiresAt: string | null;
  backupsExpireAt: string | null;
  updatedAt: string;
}

/** The setting that says how many days a request may take (30 by default, as the policy promises). */
export const DUE_DAYS_SETTING = 'privacy.request_due_days';
export const DEFAULT_DUE_DAYS = 30;

function toRequest(r: Selectable<PrivacyRequestsTable>): PrivacyRequest {
  let evidence: Record<string, unknown> = {};
  try { evidence = JSON.parse(r.evidence); } catch { evidence = {}; }
  return {
    id: r.id, clientId: r.client_id, contactId: r.contact_id, kind: r.kind as RequestKind, status: r.status as RequestStatus, progress: r.progress,
    requester: { kind: r.requester_kind as Requester['kind'], id: r.requester_id }, receivedAt: r.received_at, dueDate: r.due_date,
    completedAt: r.completed_at, evidence, error: r.error, downloadPath: r.download_path, expiresAt: r.expires_at, backupsExpireAt: r.backups_expire_at, updatedAt: r.updated_at,
  };
}

/** The calendar date of `at` in `timeZone`, plus `days` days: YYYY-MM-DD. */
export function dueDateFor(at: Date, timeZone: string, days: number): string {
  return addDays(localDate(at, timeZone), days);
}

/** How many days the client's requests may take (the setting, else 30). */
export async function dueDays(db: Db, clientId: string): Promise<number> {
  const v = (await storedSettings(db, [DUE_DAYS_SETTING], clientId)).get(DUE_DAYS_SETTING);
  return v ? Number(v) : DEFAULT_DUE_DAYS;
}

export interface NewRequest {
  clientId: string;
  contactId?: string | null;
  kind: RequestKind;
  requester: Requester;
  status?: RequestStatus;
  evidence?: Record<string, unknown>;
}

/** Records a request (in the caller's transaction when given one); the due date counts from now in the client's time zone. */
export async function createRequest(db: Db, clock: Clock, input: NewRequest): Promise<PrivacyRequest> {
  const client = await db.selectFrom('clients').select('timezone').where('id', '=', input.clientId).executeTakeFirst();
  if (!client) throw notFound('No such client');
  const now = clock.now();
  const status = input.status ?? 'received';
  const row: Selectable<PrivacyRequestsTable> = {
    id: newId(now.getTime()), client_id: input.clientId, contact_id: input.contactId ?? null, kind: input.kind, status,
    progress: status === 'done' ? 100 : 0, requester_kind: input.requester.kind, requester_id: input.requester.id,
    received_at: now.toISOString(), due_date: dueDateFor(now, client.timezone, await dueDays(db, input.clientId)),
    completed_at: status === 'done' || status === 'failed' ? now.toISOString() : null, evidence: JSON.stringify(input.evidence ?? {}),
    error: null, download_path: null, expires_at: null, backups_expire_at: null, updated_at: now.toISOString(),
  };
  await db.insertInto('privacy_requests').values(row).execute();
  return toRequest(row);
}

export interface RequestUpdate {
  status?: RequestStatus;
  progress?: number;
  /** Merged into the evidence recorded so far. */
  evidence?: Record<string, unknown>;
  error?: string | null;
  downloadPath?: string | null;
  expiresAt?: string | null;
  backupsExpireAt?: string | null;
}

/** Updates a request's progress and outcome; done or failed sets completed_at (done: progress 100). */
export async function updateRequest(db: Db, clock: Clock, id: string, u: RequestUpdate): Promise<PrivacyRequest> {
  const current = await findRequest(db, id);
  if (!current) throw notFound('No such request');
  const now = clock.now().toISOString();
  const finished = u.status === 'done' || u.status === 'failed';
  await db.updateTable('privacy_requests').set({
    ...(u.status ? { status: u.status } : {}),
    ...(u.progress !== undefined || u.status === 'done' ? { progress: u.status === 'done' ? 100 : Math.max(0, Math.min(100, Math.round(u.progress!))) } : {}),
    ...(u.evidence ? { evidence: JSON.stringify({ ...current.evidence, ...u.evidence }) } : {}),
    ...(u.error !== undefined ? { error: u.error } : {}),
    ...(u.downloadPath !== undefined ? { download_path: u.downloadPath } : {}),
    ...(u.expiresAt !== undefined ? { expires_at: u.expiresAt } : {}),
    ...(u.backupsExpireAt !== undefined ? { backups_expire_at: u.backupsExpireAt } : {}),
    ...(finished ? { completed_at: now } : {}),
    updated_at: now,
  }).where('id', '=', id).execute();
  return (await findRequest(db, id))!;
}

/** A client's request; another client's (or none) is "not found". */
export async function getRequest(db: Db, clientId: string, id: string): Promise<PrivacyRequest> {
  const r = await db.selectFrom('privacy_requests').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
  if (!r) throw notFound('No such request');
  return toRequest(r);
}

/** A request by id, whichever client's (for jobs holding the id from a trusted row). */
export async function findRequest(db: Db, id: string): Promise<PrivacyRequest | undefined> {
  const r = await db.selectFrom('privacy_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toRequest(r);
}

export interface RequestFilter {
  clientId: string;
  contactId?: string;
  kind?: RequestKind;
  /** Only these statuses (e.g. the open ones, for the due-date warning). */
  statuses?: RequestStatus[];
  cursor?: string;
  limit?: number;
}

/** A page of a client's requests, newest first. */
export async function listRequests(db: Db, f: RequestFilter): Promise<{ data: PrivacyRequest[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  if (f.cursor !== undefined && !/^[0-9a-z]{26}$/.test(f.cursor)) throw badRequest('Invalid cursor', 'cursor', 'invalid_cursor');
  let q = db.selectFrom('privacy_requests').selectAll().where('client_id', '=', f.clientId);
  if (f.contactId) q = q.where('contact_id', '=', f.contactId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  if (f.cursor) q = q.where('id', '<', f.cursor);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toRequest);
  return { data: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

/** How many of the client's requests are still open (received or running) with a due date on or before `date` (YYYY-MM-DD). */
export async function countOpenRequestsDueBy(db: Db, clientId: string, date: string): Promise<number> {
  const r = await db.selectFrom('privacy_requests').select(db.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId).where('status', 'in', ['received', 'running']).where('due_date', '<=', date).executeTakeFirstOrThrow();
  return Number(r.n);
}
