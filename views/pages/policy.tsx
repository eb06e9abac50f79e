import { Layout, Field, Csrf } from '../layout.tsx';
import { TextAreaField } from '../controls.tsx';
import { Markdown } from '../markdown.tsx';
import type { ViewContext } from '../view-context.ts';

export interface PolicyVersionRow {
  id: string;
  body: string;
  effectiveDate: string;
  significant: boolean;
  publishedAt: string;
  acceptances: number;
  notices: { sent: number; pending: number; failed: number };
}

export interface PolicyAdminView {
  versions: PolicyVersionRow[];
  currentId: string | null;
  earliestSignificant: string;
  values?: { body: string; effective_date: string; significant: string };
  errors?: Record<string, string>;
}

/** The operator's policy versions: publish one (a significant one is e-mailed 30 days ahead), see who accepted. */
export function PolicyAdminPage({ v, d }: { v: ViewContext; d: PolicyAdminView }) {
  return (
    <Layout v={v} title={v.t('policy.title')}>
      <h1>{v.t('policy.title')}</h1>
      <p class="muted">{v.t('policy.intro')}</p>
      <section class="card">
        <h2>{v.t('policy.publish')}</h2>
        <form method="post" action="/operator/policy">
          <Csrf v={v} />
          <TextAreaField label={v.t('policy.body')} name="body" value={d.values?.body} error={d.errors?.body} rows={12} />
          <Field label={v.t('policy.effective_date')} name="effective_date" type="date" value={d.values?.effective_date ?? d.earliestSignificant} error={d.errors?.effective_date} required />
          <label class="check"><input type="checkbox" name="significant" value="on" checked={d.values ? d.values.significant === 'on' : true} /> {v.t('policy.significant_hint', { date: d.earliestSignificant })}</label>
          {d.errors?.form ? <p class="error">{d.errors.form}</p> : null}
          <button type="submit">{v.t('policy.publish_button')}</button>
        </form>
      </section>
      <h2>{v.t('policy.versions')}</h2>
      {d.versions.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table>
          <thead><tr><th>{v.t('policy.effective_date')}</th><th>{v.t('policy.significant')}</th><th>{v.t('policy.published_at')}</th><th>{v.t('policy.notices')}</th><th>{v.t('policy.acceptances')}</th><th></th></tr></thead>
          <tbody>
            {d.versions.map((x) => (
              <tr>
                <td>{x.effectiveDate} {x.id === d.currentId ? <span class="badge on">{v.t('policy.in_force')}</span> : null}</td>
                <td>{x.significant ? v.t('settings.choice.true') : v.t('settings.choice.false')}</td>
                <td>{v.time(x.publishedAt)}</td>
                <td>{x.significant ? v.t('policy.notice_counts', { sent: x.notices.sent, pending: x.notices.pending, failed: x.notices.failed }) : '—'}</td>
                <td>{x.acceptances}</td>
                <td><a href={`/policy/${x.id}`}>{v.t('policy.read')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** A policy version's text (the link in the notice e-mail). */
export function PolicyTextPage({ v, d }: { v: ViewContext; d: { effectiveDate: string; body: string } }) {
  return (
    <Layout v={v} title={v.t('policy.text_title', { date: d.effectiveDate })}>
      <p class="muted">{v.t('policy.text_title', { date: d.effectiveDate })}</p>
      <article class="card"><Markdown text={d.body} /></article>
    </Layout>
  );
}

/** After sign-in: an owner accepts the policy version in force. */
export function PolicyAcceptPage({ v, d }: { v: ViewContext; d: { id: string; effectiveDate: string; body: string; next: string } }) {
  return (
    <Layout v={v} title={v.t('policy.accept_title')}>
      <h1>{v.t('policy.accept_title')}</h1>
      <p>{v.t('policy.accept_intro', { date: d.effectiveDate })}</p>
      <article class="card" id="policy-text"><Markdown text={d.body} /></article>
      <form method="post" action="/policy/accept">
        <Csrf v={v} />
        <input type="hidden" name="version_id" value={d.id} />
        <input type="hidden" name="next" value={d.next} />
        <button type="submit">{v.t('policy.accept_button')}</button>
      </form>
    </Layout>
  );
}
