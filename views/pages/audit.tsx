import { Layout, Field } from '../layout.tsx';
import { NamedCode } from '../named-code.tsx';
import type { ViewContext } from '../view-context.ts';
import type { AuditRow } from '../../src/audit/index.ts';

export interface AuditFilterValues {
  action: string;
  actor: string;
  from: string;
  to: string;
  client: string;
}

export interface AuditView {
  rows: AuditRow[];
  filters: AuditFilterValues;
  /** Slugs by client id, for the client column. */
  slugs: Record<string, string>;
  showClient: boolean;
  /** The cursor of the next (older) page, if there is one. */
  older?: string;
  errors?: Record<string, string>;
}

// The system's own entries carry this label (audit's SYSTEM_ACTOR); people's carry their e-mail.
const SYSTEM_LABEL = 'system';
const named = (v: ViewContext, prefix: string, code: string) => (v.t(prefix + code) === prefix + code ? code : v.t(prefix + code));

const query = (f: AuditFilterValues, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...f, ...extra }).filter(([, v]) => v !== '')).toString();

export function AuditPage({ v, d }: { v: ViewContext; d: AuditView }) {
  const f = d.filters;
  return (
    <Layout v={v} title={v.t('audit.title')}>
      <h1>{v.t('audit.title')}</h1>
      <form method="get" action="/audit" class="filters">
        <Field label={v.t('audit.action')} name="action" value={f.action} placeholder="user." error={d.errors?.action} />
        <Field label={v.t('audit.actor')} name="actor" value={f.actor} />
        {d.showClient ? <Field label={v.t('audit.client')} name="client" value={f.client} placeholder="demo" /> : null}
        <Field label={v.t('audit.from')} name="from" type="date" value={f.from} error={d.errors?.from} />
        <Field label={v.t('audit.to')} name="to" type="date" value={f.to} error={d.errors?.to} />
        <button type="submit">{v.t('common.filter')}</button>
        <a href={`/audit.csv?${query(f)}`} hx-boost="false" download>{v.t('audit.export')}</a>
      </form>
      <p class="muted">{v.t('audit.zone_note')}</p>
      {d.rows.length === 0 ? <p class="muted">{v.t('audit.empty')}</p> : (
        <table>
          <thead><tr><th>{v.t('audit.at')}</th><th>{v.t('audit.actor')}</th><th>{v.t('audit.action')}</th>{d.showClient ? <th>{v.t('audit.client')}</th> : null}<th>{v.t('audit.target')}</th><th>IP</th><th>{v.t('audit.details')}</th></tr></thead>
          <tbody>
            {d.rows.map((r) => (
              <tr>
                <td>{v.time(r.at)}</td>
                <td>{r.actorLabel === SYSTEM_LABEL ? v.t('audit.actor.system') : r.actorLabel}</td>
                <td><NamedCode v={v} prefix="audit.action." code={r.action} /></td>
                {d.showClient ? <td>{r.clientId ? d.slugs[r.clientId] ?? r.clientId : ''}</td> : null}
                <td>{r.targetType ? <>{named(v, 'audit.target.', r.targetType)} <code class="muted">{r.targetId ?? ''}</code></> : ''}</td>
                <td>{r.ip}</td>
                <td>{r.details === '{}' ? '' : <pre class="details">{r.details}</pre>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.older ? <p><a href={`/audit?${query(f, { before: d.older })}`}>{v.t('common.next_page')}</a></p> : null}
    </Layout>
  );
}
