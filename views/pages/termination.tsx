import { Layout, Field, Csrf } from '../layout.tsx';
import { ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { PurgePlan } from '../../src/privacy/index.ts';

export interface TerminationView {
  client: Client;
  plan: PurgePlan;
  error?: string;
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** The operator's page: the client's status, the dry run of its purge, and the form that terminates it. */
export function TerminationPage({ v, d }: { v: ViewContext; d: TerminationView }) {
  const { client, plan } = d;
  return (
    <Layout v={v} title={`${v.t('termination.title')} · ${client.name}`}>
      <ClientTabs v={v} slug={client.slug} name={client.name} />
      <h1>{v.t('termination.title')}</h1>
      <p class="muted">{v.t('termination.intro', { days: plan.afterDays })}</p>
      <p id="termination-status">
        {client.status === 'terminated'
          ? <span class="badge">{v.t('termination.status_terminated', { time: v.time(client.terminatedAt) })}</span>
          : <span class="badge on">{v.t('termination.status_active')}</span>}
        {' '}{plan.purgedAt ? v.t('termination.purged', { time: v.time(plan.purgedAt) }) : plan.dueAt ? v.t('termination.due', { time: v.time(plan.dueAt) }) : null}
      </p>
      {plan.purgedAt ? null : (
        <section class="card" id="purge-plan">
          <h2>{v.t('termination.plan')}</h2>
          <table>
            <thead><tr><th>{v.t('termination.table')}</th><th>{v.t('termination.rows')}</th><th>{v.t('termination.action')}</th></tr></thead>
            <tbody>
              {plan.tables.map((t) => (
                <tr data-table={t.table}>
                  <td><code>{t.table}</code></td>
                  <td>{t.rows}</td>
                  <td>{t.action === 'strip' ? v.t('termination.action.strip', { columns: (t.columns ?? []).join(', ') }) : v.t(`termination.action.${t.action}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{v.t('termination.files', { attachments: plan.files.attachments, bytes: size(plan.files.attachmentBytes), exports: plan.files.exports })}</p>
        </section>
      )}
      {client.status === 'active' ? (
        <section class="card">
          <form method="post" action={`/clients/${client.slug}/termination`}>
            <Csrf v={v} />
            <Field label={v.t('termination.confirm', { slug: client.slug })} name="confirm_slug" value="" error={d.error} required />
            <button type="submit" class="danger">{v.t('termination.submit')}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
