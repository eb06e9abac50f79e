// Export requests (policy 7.1 access, 7.5 portability): recorded in the request register, written
// by a job into <data-dir>/exports, downloadable by the same client until the link expires.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { AppError, conflict, notFound } from '../lib/errors.ts';
import { enqueueJob, type Job, type JobHandler } from '../jobs/index.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { getContact } from '../messaging/index.ts';
import { storedSettings } from '../settings/index.ts';
import { createRequest, findRequest, getRequest, updateRequest, type PrivacyRequest, type Requester } from './requests.ts';
import { writeExportArchive } from './export-archive.ts';

export const EXPORT_JOB = 'privacy.export';
export const EXPIRE_EXPORTS_KIND = 'privacy.expire_exports';
export const EXPIRE_EXPORTS_EVERY_MS = 3600_000;
/** Global setting: days a download link works (7 by default). */
export const EXPORT_LINK_DAYS_SETTING = 'privacy.export_link_days';
const DEFAULT_LINK_DAYS = 7;
const EXPORTS_DIR = 'exports';
const EXPORT_KINDS = ['client_export', 'contact_export'];

export interface ExportDeps {
  db: Db;
  clock: Clock;
}

/**
 * Records an export request (the whole client, or one contact of it) and queues the job that
 * writes it, in one transaction; audited as `export.requested`. Another client's contact is 404.
 * `lang` chooses the language of a contact's readable summary.
 */
export async function requestExport(
  deps: ExportDeps, input: { clientId: string; contactId?: string; requester: Requester; by: AuditBy; lang?: string },
): Promise<PrivacyRequest> {
  if (input.contactId) await getContact(deps.db, input.clientId, input.contactId);
  return deps.db.transaction().execute(async (trx) => {
    const request = await createRequest(trx, deps.clock, {
      clientId: input.clientId, contactId: input.contactId ?? null, kind: input.contactId ? 'contact_export' : 'client_export', requester: input.requester,
    });
    await enqueueJob(trx, deps.clock, {
      kind: EXPORT_JOB, clientId: input.clientId, contactId: input.contactId ?? null, payload: { requestId: request.id, lang: input.lang ?? null },
      idempotencyKey: `${EXPORT_JOB}:${request.id}`, maxAttempts: 3,
    });
    await recordAudit(trx, deps.clock, {
      actor: input.by, action: 'export.requested', clientId: input.clientId, targetType: 'privacy_request', targetId: request.id, ip: input.by.ip,
      details: { kind: request.kind, ...(input.contactId ? { contact_id: input.contactId } : {}) },
    });
    return request;
  });
}

/** Days a download link works: the global setting, else 7. */
export async function exportLinkDays(db: Db): Promise<number> {
  const v = (await storedSettings(db, [EXPORT_LINK_DAYS_SETTING], null)).get(EXPORT_LINK_DAYS_SETTING);
  return v ? Number(v) : DEFAULT_LINK_DAYS;
}

/** The job writing an export: progress into the request as it goes; done with the file and its expiry. */
export function exportJobHandler(deps: { db: Db; clock: Clock; log: Logger; config: { dataDir: string } }): JobHandler {
  const dir = path.join(deps.config.dataDir, EXPORTS_DIR);
  return {
    kind: EXPORT_JOB,
    async run(job: Job) {
      const request = await findRequest(deps.db, String(job.payload.requestId));
      if (!request || request.status === 'done' || !EXPORT_KINDS.includes(request.kind)) return;
      await updateRequest(deps.db, deps.clock, request.id, { status: 'running', progress: 0, error: null });
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const rel = path.join(EXPORTS_DIR, `${request.id}.zip`);
      const part = path.join(deps.config.dataDir, `${rel}.part`);
      try {
        const summary = await writeExportArchive(
          { db: deps.db, dataDir: deps.config.dataDir, now: () => deps.clock.now() },
          { clientId: request.clientId, contactId: request.contactId ?? undefined, requestId: request.id, lang: typeof job.payload.lang === 'string' ? job.payload.lang : undefined, file: part },
          async (progress) => void await updateRequest(deps.db, deps.clock, request.id, { progress }),
        );
        fs.renameSync(part, path.join(deps.config.dataDir, rel));
        const expiresAt = new Date(deps.clock.now().getTime() + (await exportLinkDays(deps.db)) * 24 * 3600_000).toISOString();
        const bytes = fs.statSync(path.join(deps.config.dataDir, rel)).size;
        await updateRequest(deps.db, deps.clock, request.id, {
          status: 'done', downloadPath: rel, expiresAt, evidence: { tables: summary.tables, media: summary.media, missing_media: summary.missingMedia, bytes },
        });
        deps.log.info('privacy', 'export written', { request_id: request.id, kind: request.kind, bytes });
      } catch (err) {
        fs.rmSync(part, { force: true });
        throw err;
      }
    },
    async onDead(job, error) {
      const id = String(job.payload.requestId);
      if (await findRequest(deps.db, id)) await updateRequest(deps.db, deps.clock, id, { status: 'failed', error: error.slice(0, 500) });
    },
  };
}

export const expired = () => new AppError('expired', 'This download link has expired: request a new export', 410);

/**
 * The file of a finished export of this client, for its download; audited as `export.downloaded`.
 * Another client's request is 404; one still being written 409 `not_ready`; after expires_at 410 `expired`.
 */
export async function openExportDownload(
  deps: ExportDeps & { dataDir: string }, clientId: string, requestId: string, by: AuditBy,
): Promise<{ file: string; fileName: string; request: PrivacyRequest }> {
  const request = await getRequest(deps.db, clientId, requestId);
  if (!EXPORT_KINDS.includes(request.kind)) throw notFound('This request has no download');
  if (request.status !== 'done') throw conflict(`The export is not ready yet (${request.progress}%)`, 'not_ready');
  if (!request.downloadPath || !request.expiresAt || Date.parse(request.expiresAt) <= deps.clock.now().getTime()) throw expired();
  const file = path.join(deps.dataDir, request.downloadPath);
  if (!fs.existsSync(file)) throw expired();
  await recordAudit(deps.db, deps.clock, {
    actor: by, action: 'export.downloaded', clientId, targetType: 'privacy_request', targetId: request.id, ip: by.ip, details: { kind: request.kind },
  });
  const day = request.completedAt?.slice(0, 10) ?? '';
  return { file, fileName: `habar-${request.kind === 'client_export' ? 'export' : 'contact-export'}-${day}-${request.id.slice(-6)}.zip`, request };
}

/** Deletes the files of exports whose link expired (the record stays, without a download). */
export async function expireExports(deps: ExportDeps & { dataDir: string }): Promise<number> {
  const now = deps.clock.now().toISOString();
  const due = await deps.db.selectFrom('privacy_requests').select(['id', 'download_path']).where('download_path', 'is not', null).where('expires_at', '<=', now).execute();
  for (const r of due) {
    fs.rmSync(path.join(deps.dataDir, r.download_path!), { force: true });
    await updateRequest(deps.db, deps.clock, r.id, { downloadPath: null });
  }
  return due.length;
}

export function expireExportsHandler(deps: { db: Db; clock: Clock; config: { dataDir: string } }): JobHandler {
  return { kind: EXPIRE_EXPORTS_KIND, async run() { await expireExports({ db: deps.db, clock: deps.clock, dataDir: deps.config.dataDir }); } };
}
