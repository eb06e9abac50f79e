import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';

export type RunKind = 'upload' | 'drill' | 'notice';

/** One upload, drill or notice as the dashboard shows it. */
export interface BackupRun {
  id: string;
  kind: RunKind;
  status: 'running' | 'ok' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  objectKey: string | null;
  bytesDone: number;
  bytesTotal: number;
  error: string | null;
  details: Record<string, unknown>;
}

export async function startRun(db: Db, clock: Clock, kind: RunKind, bytesTotal = 0): Promise<string> {
  const id = newId(clock.now().getTime());
  await db.insertInto('backup_runs').values({ id, kind, status: 'running', started_at: clock.now().toISOString(), bytes_total: bytesTotal }).execute();
  return id;
}

export async function updateRunProgress(db: Db, id: string, bytesDone: number): Promise<void> {
  await db.updateTable('backup_runs').set({ bytes_done: bytesDone }).where('id', '=', id).execute();
}

export async function finishRun(
  db: Db, clock: Clock, id: string, result: { ok: boolean; objectKey?: string; error?: string; details?: Record<string, unknown>; bytesDone?: number },
): Promise<void> {
  await db.updateTable('backup_runs').set({
    status: result.ok ? 'ok' : 'failed', finished_at: clock.now().toISOString(), object_key: result.objectKey ?? null,
    error: result.error ?? null, details: JSON.stringify(result.details ?? {}), ...(result.bytesDone !== undefined ? { bytes_done: result.bytesDone } : {}),
  }).where('id', '=', id).execute();
}

const toRun = (r: { id: string; kind: string; status: string; started_at: string; finished_at: string | null; object_key: string | null; bytes_done: number; bytes_total: number; error: string | null; details: string }): BackupRun => ({
  id: r.id, kind: r.kind as RunKind, status: r.status as BackupRun['status'], startedAt: r.started_at, finishedAt: r.finished_at, objectKey: r.object_key,
  bytesDone: r.bytes_done, bytesTotal: r.bytes_total, error: r.error, details: JSON.parse(r.details) as Record<string, unknown>,
});

/** The newest run of a kind (optionally only with a status). */
export async function lastRun(db: Db, kind: RunKind, status?: BackupRun['status']): Promise<BackupRun | undefined> {
  let q = db.selectFrom('backup_runs').selectAll().where('kind', '=', kind);
  if (status) q = q.where('status', '=', status);
  const r = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? toRun(r) : undefined;
}

/** Runs left "running" by a process that died: failed, so the dashboard does not show them forever. */
export async function closeAbandonedRuns(db: Db, clock: Clock): Promise<void> {
  await db.updateTable('backup_runs').set({ status: 'failed', finished_at: clock.now().toISOString(), error: 'interrupted (the server stopped)' })
    .where('status', '=', 'running').execute();
}
