import type { ViewContext } from './view-context.ts';

/** What the settings page and the operator's dashboard show about off-site backups. */
export interface RemoteBackupView {
  enabled: boolean;
  /** While off-site copies are on: active clients that have not asked for a second location (the register). */
  clientsNotAsked?: string[];
  /** `<endpoint>/<bucket>/<prefix>`, when configured (no keys). */
  target?: string;
  inKazakhstan: boolean;
  exception?: string;
  /** An upload in progress: encrypted bytes sent so far, and the data file's size. */
  running?: { startedAt: string; sent: number; total: number };
  lastUpload?: { at: string; objectKey: string; bytes: number };
  lastFailure?: { at: string; error: string };
  lastDrillOk?: string;
  lastDrillFailed?: { at: string; error: string };
  /** No successful drill for more than two weeks while off-site backups are on. */
  drillStale: boolean;
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** The off-site backup card; while an upload runs it refreshes itself (the progress line). */
export function RemoteBackupCard({ v, r, compact }: { v: ViewContext; r: RemoteBackupView; compact?: boolean }) {
  return (
    <section class="card" id="remote-backup" {...(r.running ? { 'hx-get': `/settings/remote-backup${compact ? '?compact=1' : ''}`, 'hx-trigger': 'every 3s', 'hx-swap': 'outerHTML' } : {})}>
      <h2>{v.t('backups.title')}</h2>
      <p>{r.enabled ? v.t('backups.on', { target: r.target ?? '' }) : v.t('backups.off')}</p>
      {r.running ? <p class="progress" role="status">{v.t('backups.progress', { sent: mb(r.running.sent), total: mb(r.running.total), since: r.running.startedAt })}</p> : null}
      {r.lastUpload ? <p>{v.t('backups.last_upload', { at: r.lastUpload.at, key: r.lastUpload.objectKey, size: mb(r.lastUpload.bytes) })}</p> : null}
      {r.lastFailure ? <p class="error">{v.t('backups.last_failure', { at: r.lastFailure.at, error: r.lastFailure.error })}</p> : null}
      <p id="restore-drill">{r.lastDrillOk ? v.t('backups.drill_ok', { at: r.lastDrillOk }) : v.t('backups.drill_never')}</p>
      {r.lastDrillFailed ? <p class="error">{v.t('backups.drill_failed', { at: r.lastDrillFailed.at, error: r.lastDrillFailed.error })}</p> : null}
      {r.enabled && r.drillStale ? <p class="error" role="alert">{v.t('backups.drill_stale')}</p> : null}
      {compact ? null : (
        <>
          {r.enabled && !r.inKazakhstan && r.exception ? <p class="warning">{v.t('backups.abroad', { reason: r.exception })}</p> : null}
          <p class="warning" id="second-location-warning">{v.t('backups.second_location')}</p>
          {r.clientsNotAsked?.length ? <p class="warning" id="clients-not-asked" role="alert">{v.t('backups.clients_not_asked', { n: r.clientsNotAsked.length, names: r.clientsNotAsked.slice(0, 20).join(', ') })}</p> : null}
        </>
      )}
    </section>
  );
}
