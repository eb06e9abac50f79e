import { DRILL_STALE_MS, lastRun, readRemoteSettings } from '../../backups/index.ts';
import type { RemoteBackupView } from '../../../views/remote-backup.tsx';
import type { AppContext } from '../env.ts';
import { clientsWithoutConsent, OFFSITE_BACKUP } from '../../ai/index.ts';

/** The off-site backup card's data: the target (never its keys), the running upload, the last upload and drill. */
export async function remoteBackupPanel(ctx: AppContext): Promise<RemoteBackupView> {
  const s = await readRemoteSettings(ctx.db, ctx.vault);
  const [upload, uploadOk, drillOk, drill] = await Promise.all([
    lastRun(ctx.db, 'upload'), lastRun(ctx.db, 'upload', 'ok'), lastRun(ctx.db, 'drill', 'ok'), lastRun(ctx.db, 'drill'),
  ]);
  const now = ctx.clock.now().getTime();
  const okAt = drillOk?.finishedAt ?? undefined;
  return {
    enabled: s.enabled,
    target: s.endpoint && s.bucket ? `${s.endpoint}/${s.bucket}${s.prefix ? `/${s.prefix}` : ''}` : undefined,
    inKazakhstan: s.inKazakhstan,
    exception: s.exception,
    running: upload?.status === 'running' ? { startedAt: upload.startedAt, sent: upload.bytesDone, total: upload.bytesTotal } : undefined,
    lastUpload: uploadOk ? { at: uploadOk.finishedAt ?? uploadOk.startedAt, objectKey: uploadOk.objectKey ?? '', bytes: uploadOk.bytesDone } : undefined,
    lastFailure: upload?.status === 'failed' ? { at: upload.finishedAt ?? upload.startedAt, error: upload.error ?? '' } : undefined,
    lastDrillOk: okAt,
    lastDrillFailed: drill?.status === 'failed' ? { at: drill.finishedAt ?? drill.startedAt, error: drill.error ?? '' } : undefined,
    clientsNotAsked: s.enabled ? (await clientsWithoutConsent(ctx.db, OFFSITE_BACKUP)).map((x) => x.name || x.slug) : [],
    drillStale: !!uploadOk && now - Date.parse(okAt ?? uploadOk.startedAt) > DRILL_STALE_MS,
  };
}
