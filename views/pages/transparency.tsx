import { Csrf, Layout } from '../layout.tsx';
import { ClientTabs } from '../controls.tsx';
import { Markdown } from '../markdown.tsx';
import { ConsentsTable, type ConsentRow } from './registers.tsx';
import type { ViewContext } from '../view-context.ts';

export interface DataMapView {
  client: { slug: string; name: string };
  categories: Array<{ name: string; purpose: string; retentionDays: number | null }>;
  purgeAfterDays: number;
  recipients: Array<{ kind: string; name: string; url: string; abroad: boolean }>;
  consents: ConsentRow[];
  breaches: Array<{ detectedAt: string; description: string; kzAuthorityDeadline: string; gdprDeadline: string }>;
  /** Whether the client asked for off-site copies (a second location), and whether this person may change it (the owner). */
  secondLocation: { asked: boolean; mayChange: boolean };
  policy: { current: { id: string; effectiveDate: string; acceptedAt: string | null } | null; next: { id: string; effectiveDate: string } | null };
}

/** The client's transparency page: its data map, the policy, the consent register and the breaches that concern it. */
export function DataMapPage({ v, d }: { v: ViewContext; d: DataMapView }) {
  return (
    <Layout v={v} title={`${v.t('datamap.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('datamap.title')}</h1>
      <p><a href={`/clients/${d.client.slug}/dpa`}>{v.t('dpa.open')}</a></p>
      <h2>{v.t('datamap.policy')}</h2>
      <p>
        {d.policy.current ? <>{v.t('datamap.policy_current', { date: d.policy.current.effectiveDate })} <a href={`/policy/${d.policy.current.id}`}>{v.t('policy.read')}</a>{' '}
          {d.policy.current.acceptedAt ? v.t('datamap.accepted_at', { time: v.time(d.policy.current.acceptedAt) }) : v.t('datamap.not_accepted')}</> : v.t('datamap.no_policy')}
      </p>
      {d.policy.next ? <p>{v.t('datamap.policy_next', { date: d.policy.next.effectiveDate })} <a href={`/policy/${d.policy.next.id}`}>{v.t('policy.read')}</a></p> : null}
      <h2>{v.t('datamap.categories')}</h2>
      <table>
        <thead><tr><th>{v.t('records.category')}</th><th>{v.t('records.purpose')}</th><th>{v.t('records.retention')}</th></tr></thead>
        <tbody>{d.categories.map((c) => <tr><td>{v.t(`datamap.category.${c.name}`)}</td><td>{v.t(`datamap.purpose.${c.name}`)}</td><td>{c.retentionDays === null ? v.t('datamap.while_active', { days: d.purgeAfterDays }) : v.t('datamap.days', { n: c.retentionDays })}</td></tr>)}</tbody>
      </table>
      <h2>{v.t('datamap.recipients')}</h2>
      {d.recipients.length === 0 ? <p class="muted">{v.t('datamap.no_recipients')}</p> : (
        <table id="recipients">
          <thead><tr><th>{v.t('datamap.kind')}</th><th>{v.t('datamap.name')}</th><th>{v.t('datamap.url')}</th><th>{v.t('datamap.where')}</th></tr></thead>
          <tbody>{d.recipients.map((r) => <tr><td>{v.t(`datamap.kind.${r.kind}`)}</td><td>{r.name}</td><td>{r.url}</td><td>{r.abroad ? v.t('datamap.abroad') : v.t('datamap.in_kz')}</td></tr>)}</tbody>
        </table>
      )}
      <h2 id="second-location">{v.t('datamap.second_location.title')}</h2>
      <p>{v.t(d.secondLocation.asked ? 'datamap.second_location.asked' : 'datamap.second_location.not_asked')}</p>
      {d.secondLocation.mayChange ? (
        <form method="post" action={`/clients/${d.client.slug}/data-map/second-location`}>
          <Csrf v={v} />
          <input type="hidden" name="action" value={d.secondLocation.asked ? 'withdraw' : 'request'} />
          <button type="submit">{v.t(d.secondLocation.asked ? 'datamap.second_location.withdraw' : 'datamap.second_location.request')}</button>
        </form>
      ) : null}
      <h2>{v.t('consent.title')}</h2>
      <ConsentsTable v={v} rows={d.consents} />
      <h2>{v.t('breach.title')}</h2>
      {d.breaches.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table>
          <thead><tr><th>{v.t('breach.detected')}</th><th>{v.t('breach.description')}</th><th>{v.t('breach.kz_deadline')}</th><th>{v.t('breach.gdpr_deadline')}</th></tr></thead>
          <tbody>{d.breaches.map((b) => <tr><td>{v.time(b.detectedAt)}</td><td>{b.description}</td><td>{v.time(b.kzAuthorityDeadline)}</td><td>{v.time(b.gdprDeadline)}</td></tr>)}</tbody>
        </table>
      )}
    </Layout>
  );
}

/** The client's DPA, print-ready (the browser's Print gives a PDF). */
export function DpaPage({ v, d }: { v: ViewContext; d: { text: string; clientName: string; slug: string } }) {
  return (
    <Layout v={v} title={`${v.t('dpa.title')} · ${d.clientName}`}>
      <p class="no-print"><a href={`/clients/${d.slug}/data-map`}>{v.t('datamap.title')}</a> · {v.t('dpa.print')}</p>
      <article class="dpa"><Markdown text={d.text} /></article>
    </Layout>
  );
}
