import { Layout, Csrf } from '../layout.tsx';
import { ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';

/** One export as the page shows it. */
export interface ExportRow {
  id: string;
  kind: 'client_export' | 'contact_export';
  status: 'received' | 'running' | 'done' | 'failed';
  progress: number;
  receivedAt: string;
  expiresAt: string | null;
  /** Set while the file can be downloaded. */
  downloadUrl: string | null;
}

export interface ExportsView {
  client: Client;
  exports: ExportRow[];
  linkDays: number;
}

const listUrl = (slug: string) => `/clients/${slug}/exports?part=list`;

/** The list of exports; it polls itself while one is still being written, so the bar moves and the link appears. */
export function ExportList({ v, d }: { v: ViewContext; d: ExportsView }) {
  const busy = d.exports.some((e) => e.status === 'received' || e.status === 'running');
  const poll = busy ? { 'hx-get': listUrl(d.client.slug), 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' } : {};
  return (
    <section id="export-list" {...poll}>
      <h2>{v.t('exports.list')}</h2>
      {d.exports.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table>
          <thead><tr><th>{v.t('exports.received')}</th><th>{v.t('exports.kind')}</th><th>{v.t('exports.progress')}</th><th></th></tr></thead>
          <tbody>
            {d.exports.map((e) => (
              <tr data-export-id={e.id} data-status={e.status}>
                <td>{v.time(e.receivedAt)}</td>
                <td>{v.t(`exports.kind.${e.kind}`)}</td>
                <td>
                  {e.status === 'failed' ? <span class="badge">{v.t('exports.failed')}</span> : (
                    <><progress max="100" value={String(e.progress)} aria-label={v.t('exports.progress')}>{e.progress}%</progress> <span class="progress-value">{e.progress}%</span>
                      {e.status === 'received' ? <span class="muted"> {v.t('exports.waiting')}</span> : null}</>
                  )}
                </td>
                <td>
                  {e.downloadUrl ? <><a class="download" href={e.downloadUrl} hx-boost="false" download>{v.t('exports.download')}</a> <span class="muted">{v.t('exports.expires', { time: v.time(e.expiresAt) })}</span></>
                    : e.status === 'done' ? <span class="muted">{v.t('exports.expired')}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ExportsPage({ v, d }: { v: ViewContext; d: ExportsView }) {
  return (
    <Layout v={v} title={`${v.t('exports.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('exports.title')}</h1>
      <p class="muted">{v.t('exports.intro', { days: d.linkDays })}</p>
      <form method="post" action={`/clients/${d.client.slug}/exports`}>
        <Csrf v={v} />
        <button type="submit" id="start-export">{v.t('exports.start')}</button>
      </form>
      <ExportList v={v} d={d} />
    </Layout>
  );
}
