import { Layout, Field, Csrf } from '../layout.tsx';
import { TextAreaField, ActionButton } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';

/** The operator's registers: a row of links shown on each of their pages. */
function RegisterTabs({ v }: { v: ViewContext }) {
  const tabs: Array<[string, string]> = [
    ['/operator/policy', 'policy.title'], ['/operator/breaches', 'breach.title'], ['/operator/consents', 'consent.title'], ['/operator/records', 'records.title'],
  ];
  return <nav class="tabs">{tabs.map(([href, key]) => <a href={href} class={v.path === href ? 'active' : undefined}>{v.t(key)}</a>)}</nav>;
}
export { RegisterTabs };

export interface BreachRow {
  id: string;
  detectedAt: string;
  description: string;
  clients: Array<{ id: string; name: string }>;
  kzAuthorityDeadline: string;
  gdprDeadline: string;
  authorityNotifiedAt: string | null;
  clientsNotifiedAt: string | null;
}

export interface BreachesView {
  breaches: BreachRow[];
  clients: Array<{ id: string; name: string }>;
  timezone: string;
  /** The breach whose notice templates are shown. */
  open?: BreachRow;
  values?: { detected_at: string; description: string; client_ids: string[] };
  errors?: Record<string, string>;
}

const Notified = ({ v, at, action }: { v: ViewContext; at: string | null; action: string }) =>
  at ? <span class="badge on">{v.time(at)}</span> : <ActionButton v={v} action={action} label={v.t('breach.mark_notified')} />;

export function BreachesPage({ v, d }: { v: ViewContext; d: BreachesView }) {
  return (
    <Layout v={v} title={v.t('breach.title')}>
      <RegisterTabs v={v} />
      <h1>{v.t('breach.title')}</h1>
      <p class="muted">{v.t('breach.intro', { tz: d.timezone })}</p>
      <p><a href="/operator/breaches.csv">{v.t('registers.csv')}</a></p>
      <section class="card">
        <h2>{v.t('breach.record')}</h2>
        <form method="post" action="/operator/breaches">
          <Csrf v={v} />
          <Field label={v.t('breach.detected_at', { tz: d.timezone })} name="detected_at" type="datetime-local" value={d.values?.detected_at} error={d.errors?.detected_at} required />
          <TextAreaField label={v.t('breach.description')} name="description" value={d.values?.description} error={d.errors?.description} rows={3} />
          <fieldset>
            <legend>{v.t('breach.clients')}</legend>
            {d.clients.map((c) => <label class="check"><input type="checkbox" name="client_ids" value={c.id} checked={d.values?.client_ids.includes(c.id)} /> {c.name}</label>)}
            {d.errors?.client_ids ? <small class="error">{d.errors.client_ids}</small> : null}
          </fieldset>
          <button type="submit">{v.t('breach.record_button')}</button>
        </form>
      </section>
      {d.open ? <BreachNotices v={v} b={d.open} /> : null}
      <h2>{v.t('breach.register')}</h2>
      {d.breaches.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table>
          <thead><tr><th>{v.t('breach.detected')}</th><th>{v.t('breach.description')}</th><th>{v.t('breach.clients')}</th><th>{v.t('breach.kz_deadline')}</th><th>{v.t('breach.gdpr_deadline')}</th><th>{v.t('breach.authority_notified')}</th><th>{v.t('breach.clients_notified')}</th><th></th></tr></thead>
          <tbody>
            {d.breaches.map((b) => (
              <tr>
                <td>{v.time(b.detectedAt)}</td>
                <td>{b.description}</td>
                <td>{b.clients.map((c) => c.name).join(', ')}</td>
                <td class="deadline-kz">{v.time(b.kzAuthorityDeadline)}</td>
                <td class="deadline-gdpr">{v.time(b.gdprDeadline)}</td>
                <td><Notified v={v} at={b.authorityNotifiedAt} action={`/operator/breaches/${b.id}/notified/authority`} /></td>
                <td><Notified v={v} at={b.clientsNotifiedAt} action={`/operator/breaches/${b.id}/notified/clients`} /></td>
                <td><a href={`/operator/breaches?open=${b.id}`}>{v.t('breach.notices')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** The notice templates of one breach: to the authority and to the affected clients, filled in. */
function BreachNotices({ v, b }: { v: ViewContext; b: BreachRow }) {
  const p = { detected: v.time(b.detectedAt), description: b.description, clients: b.clients.map((c) => c.name).join(', ') || '—', deadline: v.time(b.kzAuthorityDeadline) };
  return (
    <section class="card" id="notices">
      <h2>{v.t('breach.notices')}</h2>
      <h3>{v.t('breach.notice_authority')}</h3>
      <pre class="notice">{v.t('breach.template_authority', p)}</pre>
      <h3>{v.t('breach.notice_clients')}</h3>
      <pre class="notice">{v.t('breach.template_clients', p)}</pre>
    </section>
  );
}

export interface ConsentRow {
  clientName: string;
  provider: string;
  destination: string;
  policyVersion: string;
  recordedBy: string;
  recordedAt: string;
  withdrawnAt: string | null;
}

/** The consent and transfer register (every client's authorisations of transfers abroad). */
export function ConsentsTable({ v, rows }: { v: ViewContext; rows: ConsentRow[] }) {
  return rows.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
    <table>
      <thead><tr><th>{v.t('consent.client')}</th><th>{v.t('consent.provider')}</th><th>{v.t('consent.destination')}</th><th>{v.t('consent.policy_version')}</th><th>{v.t('consent.recorded_by')}</th><th>{v.t('consent.recorded_at')}</th><th>{v.t('consent.withdrawn_at')}</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr><td>{r.clientName}</td><td>{r.provider === 'offsite_backup' ? v.t('datamap.second_location.title') : r.provider}</td><td>{r.destination}</td><td>{r.policyVersion}</td><td>{r.recordedBy}</td><td>{v.time(r.recordedAt)}</td><td>{r.withdrawnAt ? v.time(r.withdrawnAt) : '—'}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConsentsPage({ v, rows }: { v: ViewContext; rows: ConsentRow[] }) {
  return (
    <Layout v={v} title={v.t('consent.title')}>
      <RegisterTabs v={v} />
      <h1>{v.t('consent.title')}</h1>
      <p class="muted">{v.t('consent.intro')}</p>
      <p><a href="/operator/consents.csv">{v.t('registers.csv')}</a></p>
      <ConsentsTable v={v} rows={rows} />
    </Layout>
  );
}

export interface ActivityRow {
  name: string;
  purpose: string;
  retention: string;
  recipients: string[];
}

export interface OwnActivity {
  id: string;
  name: string;
  purpose: string;
  data_categories: string;
  data_subjects: string;
  recipients: string;
  transfers: string;
  retention: string;
  security: string;
}

const ACTIVITY_INPUTS = ['name', 'purpose', 'data_categories', 'data_subjects', 'recipients', 'transfers', 'retention', 'security'] as const;

export interface RecordsView {
  activities: ActivityRow[];
  clients: number;
  own: OwnActivity[];
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

/** The record of processing activities (GDPR Art. 30): the rows built from the registry and what every client configured, and the operator's own. */
export function RecordsPage({ v, d }: { v: ViewContext; d: RecordsView }) {
  return (
    <Layout v={v} title={v.t('records.title')}>
      <RegisterTabs v={v} />
      <h1>{v.t('records.title')}</h1>
      <p class="muted">{v.t('records.intro', { clients: d.clients })}</p>
      <p><a href="/operator/records.csv">{v.t('registers.csv')}</a></p>
      <table id="habar-activities">
        <thead><tr><th>{v.t('records.category')}</th><th>{v.t('records.purpose')}</th><th>{v.t('records.retention')}</th><th>{v.t('records.recipients')}</th></tr></thead>
        <tbody>
          {d.activities.map((a) => <tr><td>{a.name}</td><td>{a.purpose}</td><td>{a.retention}</td><td>{a.recipients.join(', ') || '—'}</td></tr>)}
        </tbody>
      </table>
      <h2>{v.t('records.own')}</h2>
      {d.own.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table id="own-activities">
          <thead><tr>{ACTIVITY_INPUTS.map((f) => <th>{v.t(`records.field.${f}`)}</th>)}<th></th></tr></thead>
          <tbody>
            {d.own.map((a) => <tr>{ACTIVITY_INPUTS.map((f) => <td>{a[f]}</td>)}<td><ActionButton v={v} action={`/operator/records/${a.id}/delete`} label={v.t('records.delete')} danger /></td></tr>)}
          </tbody>
        </table>
      )}
      <section class="card">
        <h2>{v.t('records.add')}</h2>
        <form method="post" action="/operator/records">
          <Csrf v={v} />
          {ACTIVITY_INPUTS.map((f) => <Field label={v.t(`records.field.${f}`)} name={f} value={d.values?.[f]} error={d.errors?.[f]} required={f === 'name' || f === 'purpose'} />)}
          <button type="submit">{v.t('records.add_button')}</button>
        </form>
      </section>
    </Layout>
  );
}
