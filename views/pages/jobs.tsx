import { Layout } from '../layout.tsx';
import { ActionButton, ClientTabs } from '../controls.tsx';
import { NamedCode } from '../named-code.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Job } from '../../src/jobs/index.ts';

export const JOB_STATUSES = ['dead', 'pending', 'running', 'done'] as const;

export interface JobsView {
  /** One client's jobs (its tab), or every client's (the admins' /jobs). */
  client?: { slug: string; name: string };
  /** Client slugs by id, to name each job's client on /jobs. */
  slugs: Record<string, string>;
  status: string;
  counts: Record<string, number>;
  /** A count that reached this is shown as "this+". */
  countMax: number;
  jobs: Job[];
  mayRetry: boolean;
  /** Older jobs follow the last one shown. */
  more: boolean;
}

/** Background work: dead jobs with their last error and a retry button; other states to look at. */
export function JobsPage({ v, d }: { v: ViewContext; d: JobsView }) {
  const base = d.client ? `/clients/${d.client.slug}/jobs` : '/jobs';
  const last = d.jobs[d.jobs.length - 1];
  return (
    <Layout v={v} title={d.client ? `${v.t('jobs.title')} · ${d.client.name}` : v.t('jobs.title')}>
      {d.client ? <ClientTabs v={v} slug={d.client.slug} name={d.client.name} /> : null}
      <h1>{v.t('jobs.title')}</h1>
      <p class="muted">{v.t('jobs.intro')}</p>
      <nav class="tabs" aria-label={v.t('jobs.title')}>
        {JOB_STATUSES.map((s) => (
          <a href={`${base}?status=${s}`} class={s === d.status ? 'active' : ''}>{v.t(`jobs.status.${s}`)} ({(d.counts[s] ?? 0) >= d.countMax ? `${d.countMax}+` : d.counts[s] ?? 0})</a>
        ))}
      </nav>
      {d.jobs.length === 0 ? <p class="muted">{v.t(d.status === 'dead' ? 'jobs.none_dead' : 'common.none')}</p> : (
        <table>
          <thead><tr>
            <th>{v.t('jobs.kind')}</th>{d.client ? null : <th>{v.t('jobs.client')}</th>}<th>{v.t('jobs.attempts')}</th>
            <th>{v.t('jobs.when')}</th><th>{v.t('jobs.last_error')}</th><th></th>
          </tr></thead>
          <tbody>
            {d.jobs.map((j) => {
              const slug = j.clientId ? d.slugs[j.clientId] : undefined;
              return (
                <tr id={`job-${j.id}`}>
                  <td><NamedCode v={v} prefix="jobs.kind." code={j.kind} />{j.conversationId && slug ? <> · <a href={`/clients/${slug}/inbox/${j.conversationId}`}>{v.t('jobs.conversation')}</a></> : null}</td>
                  {d.client ? null : <td>{slug ? <a href={`/clients/${slug}`}>{slug}</a> : <span class="muted">{v.t('jobs.system')}</span>}</td>}
                  <td>{j.attempts}/{j.maxAttempts}</td>
                  <td>{v.time(j.finishedAt ?? j.runAt)}</td>
                  <td>{j.lastError ? <pre class="details">{j.lastError}</pre> : <span class="muted">—</span>}</td>
                  <td>{j.status === 'dead' && d.mayRetry ? <ActionButton v={v} action={`${base}/${j.id}/retry`} label={v.t('jobs.retry')} /> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {last && d.more ? <p><a href={`${base}?status=${d.status}&before=${last.id}`}>{v.t('common.next_page')}</a></p> : null}
    </Layout>
  );
}
