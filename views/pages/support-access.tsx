import { Layout, Field, Csrf } from '../layout.tsx';
import { TextAreaField, ActionButton, ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client, SupportGrant } from '../../src/tenants/index.ts';

export interface GrantRow extends SupportGrant {
  status: 'active' | 'expired' | 'revoked';
  grantedByLabel: string;
}

export interface SupportAccessView {
  client: Client;
  grants: GrantRow[];
  canGrant: boolean;
  canRevoke: boolean;
  maxHours: number;
  values?: { hours: string; reason: string };
  errors?: Record<string, string>;
}

export function SupportAccessPage({ v, d }: { v: ViewContext; d: SupportAccessView }) {
  const base = `/clients/${d.client.slug}/support`;
  const active = d.grants.find((g) => g.status === 'active');
  return (
    <Layout v={v} title={`${v.t('support.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('support.title')}</h1>
      <p class="muted">{v.t('support.intro')}</p>
      <p>{active ? <span class="badge on">{v.t('support.active_until', { time: v.time(active.expiresAt) })}</span> : <span class="badge">{v.t('support.none_active')}</span>}</p>
      {d.canGrant ? (
        <section class="card">
          <h2>{v.t('support.grant')}</h2>
          <form method="post" action={base}>
            <Csrf v={v} />
            <Field label={v.t('support.hours', { max: d.maxHours })} name="hours" type="number" min={1} max={d.maxHours} value={d.values?.hours ?? '24'} error={d.errors?.hours} required />
            <TextAreaField label={v.t('support.reason')} name="reason" value={d.values?.reason} error={d.errors?.reason} rows={2} />
            <button type="submit">{v.t('support.grant_button')}</button>
          </form>
        </section>
      ) : null}
      <h2>{v.t('support.history')}</h2>
      {d.grants.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table>
          <thead><tr><th>{v.t('support.status')}</th><th>{v.t('support.starts')}</th><th>{v.t('support.expires')}</th><th>{v.t('support.granted_by')}</th><th>{v.t('support.reason')}</th><th></th></tr></thead>
          <tbody>
            {d.grants.map((g) => (
              <tr>
                <td><span class={g.status === 'active' ? 'badge on' : 'badge'}>{v.t(`support.status_${g.status}`)}</span></td>
                <td>{v.time(g.startsAt)}</td>
                <td>{g.revokedAt ? `${v.time(g.expiresAt)} (${v.t('support.revoked_at', { time: v.time(g.revokedAt) })})` : v.time(g.expiresAt)}</td>
                <td>{g.grantedByLabel}</td>
                <td>{g.reason}</td>
                <td>{d.canRevoke && g.status === 'active' ? <ActionButton v={v} action={`${base}/${g.id}/revoke`} label={v.t('support.revoke')} danger /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
