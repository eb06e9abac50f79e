import { Layout, Field, Csrf } from '../layout.tsx';
import { ClientTabs, SelectField } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { BillingDetails, Plan, Statement } from '../../src/billing/index.ts';

/** Minor units as text (the same rule as statements: two decimals, thin groups). */
export function money(minor: number, currency: string): string {
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${minor < 0 ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

export interface BillingPageView {
  client: Client;
  details: BillingDetails;
  canEditDetails: boolean;
  isOperator: boolean;
  plans: Plan[];
  history: Array<{ startsOn: string; planId: string | null; planName: string | null }>;
  statements: Statement[];
  today: string;
  errors?: Record<string, string>;
}

export function BillingScreen({ v, d }: { v: ViewContext; d: BillingPageView }) {
  const base = `/clients/${d.client.slug}`;
  const e = d.errors ?? {};
  return (
    <Layout v={v} title={`${v.t('billing.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('billing.title')}</h1>
      <p><a href={`${base}/usage`}>{v.t('usage.title')}</a></p>
      <section class="card">
        <h2>{v.t('billing.details')}</h2>
        <p class="muted">{v.t('billing.no_cards')}</p>
        {d.canEditDetails ? (
          <form method="post" action={`${base}/billing/details`} data-testid="billing-details-form">
            <Csrf v={v} />
            <Field label={v.t('billing.legal_name')} name="legal_name" value={d.details.legalName} error={e.legal_name} placeholder={d.client.name} />
            <Field label={v.t('billing.bin')} name="bin" value={d.details.bin} error={e.bin} />
            <Field label={v.t('billing.invoice_address')} name="invoice_address" value={d.details.invoiceAddress} error={e.invoice_address} placeholder={d.client.invoiceAddress} />
            <Field label={v.t('billing.email')} name="email" type="email" value={d.details.email} error={e.email} placeholder={d.client.contactEmail} />
            <button type="submit">{v.t('common.save')}</button>
          </form>
        ) : (
          <dl><dt>{v.t('billing.legal_name')}</dt><dd>{d.details.legalName || d.client.name}</dd><dt>{v.t('billing.bin')}</dt><dd>{d.details.bin || '—'}</dd>
            <dt>{v.t('billing.invoice_address')}</dt><dd>{d.details.invoiceAddress || d.client.invoiceAddress || '—'}</dd></dl>
        )}
      </section>
      <section class="card">
        <h2>{v.t('billing.plan')}</h2>
        {d.history.length === 0 ? <p class="muted">{v.t('usage.no_plan')}</p> : (
          <table data-testid="plan-history"><thead><tr><th>{v.t('billing.starts_on')}</th><th>{v.t('billing.plan')}</th></tr></thead>
            <tbody>{d.history.map((h) => <tr><td>{h.startsOn}</td><td>{h.planName ?? v.t('billing.no_plan_option')}</td></tr>)}</tbody></table>
        )}
        {d.isOperator ? (
          <form method="post" action={`${base}/billing/plan`} data-testid="assign-plan-form">
            <Csrf v={v} />
            <SelectField label={v.t('billing.plan')} name="plan_id" options={[['', v.t('billing.no_plan_option')], ...d.plans.map((p) => [p.id, p.name] as [string, string])]} error={e.plan_id} />
            <Field label={v.t('billing.starts_on')} name="starts_on" type="date" value={d.today} error={e.starts_on} />
            <button type="submit">{v.t('billing.assign')}</button>
          </form>
        ) : null}
      </section>
      <section class="card">
        <h2>{v.t('billing.statements')}</h2>
        {d.statements.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
          <table data-testid="statements">
            <thead><tr><th>{v.t('billing.number')}</th><th>{v.t('billing.period')}</th><th>{v.t('billing.issued_at')}</th><th class="num">{v.t('billing.total')}</th><th></th></tr></thead>
            <tbody>{d.statements.map((s) => (
              <tr><td><a href={`${base}/statements/${s.number}`}>{s.number}</a>{s.corrects ? ` (${v.t('billing.corrects', { number: s.corrects })})` : ''}</td>
                <td>{s.period_start} – {s.period_end}</td><td>{v.time(s.issued_at)}</td><td class="num">{money(s.total_minor, s.currency)}</td>
                <td><a href={`${base}/statements/${s.number}.csv`}>CSV</a> · <a href={`${base}/statements/${s.number}.json`}>JSON</a></td></tr>
            ))}</tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

export function StatementScreen({ v, d }: { v: ViewContext; d: { client: Client; statement: Statement; isOperator: boolean } }) {
  const s = d.statement;
  const base = `/clients/${d.client.slug}/statements/${s.number}`;
  const n = (x: number | null) => (x === null ? '—' : String(x));
  return (
    <Layout v={v} title={`${v.t('billing.statement')} ${s.number}`}>
      <div class="no-print"><ClientTabs v={v} slug={d.client.slug} name={d.client.name} /></div>
      <article class="statement" data-testid="statement">
        <h1>{v.t('billing.statement')} № {s.number}</h1>
        {s.corrects ? <p><strong>{v.t('billing.corrects', { number: s.corrects })}</strong></p> : null}
        <p>{v.t('billing.period')}: {s.period_start} – {s.period_end} · {v.t('billing.issued_at')}: {v.time(s.issued_at)}</p>
        <div class="parties">
          <div><h3>{v.t('billing.supplier')}</h3><p>{s.operator.name || '—'}<br />{s.operator.bin ? `${v.t('billing.bin')}: ${s.operator.bin}` : ''}<br />{s.operator.address}<br />{s.operator.bank}</p></div>
          <div><h3>{v.t('billing.customer')}</h3><p>{s.client.legal_name}<br />{s.client.bin ? `${v.t('billing.bin')}: ${s.client.bin}` : ''}<br />{s.client.invoice_address}</p></div>
        </div>
        <p>{v.t('billing.plan')}: {s.plan}</p>
        <table data-testid="statement-lines">
          <thead><tr><th>{v.t('billing.line')}</th><th class="num">{v.t('usage.included')}</th><th class="num">{v.t('usage.used')}</th><th class="num">{v.t('billing.overage')}</th><th class="num">{v.t('billing.unit_price')}</th><th class="num">{v.t('billing.amount')}</th></tr></thead>
          <tbody>
            {s.lines.map((l) => (
              <tr><td>{l.kind === 'vat' ? `${v.t('billing.line.vat')} ${s.vat_percent} %` : v.t(`billing.line.${l.kind}`)}</td><td class="num">{n(l.included)}</td><td class="num">{n(l.used)}</td><td class="num">{n(l.overage)}</td>
                <td class="num">{l.unit_price_minor === null ? '—' : `${money(l.unit_price_minor, s.currency)}${l.per && l.per > 1 ? ` / ${l.per}` : ''}`}</td><td class="num">{money(l.amount_minor, s.currency)}</td></tr>
            ))}
            <tr><th colspan={5}>{v.t('billing.total')}</th><th class="num" data-testid="statement-total">{money(s.total_minor, s.currency)}</th></tr>
          </tbody>
        </table>
      </article>
      <p class="no-print"><a href={`${base}.csv`}>CSV</a> · <a href={`${base}.json`}>JSON</a> · {v.t('billing.print_hint')}</p>
      {d.isOperator ? (
        <form method="post" action={`${base}/correct`} class="no-print">
          <Csrf v={v} />
          <button type="submit" class="small">{v.t('billing.issue_correction')}</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function PlansScreen({ v, d }: { v: ViewContext; d: { plans: Plan[]; errors?: Record<string, string>; values?: Record<string, string>; editing?: Plan } }) {
  const e = d.errors ?? {};
  const val = d.values ?? {};
  const lim = (x: number | null) => (x === null ? '∞' : String(x));
  return (
    <Layout v={v} title={v.t('plans.title')}>
      <h1>{v.t('plans.title')}</h1>
      <p class="muted">{v.t('plans.intro')}</p>
      {d.plans.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table data-testid="plans">
          <thead><tr><th>{v.t('plans.name')}</th><th>{v.t('plans.price')}</th><th>{v.t('usage.metric.messages')}</th><th>{v.t('usage.metric.ai_replies')}</th><th>{v.t('usage.metric.ai_tokens')}</th><th>{v.t('usage.metric.api_calls')}</th><th>{v.t('usage.metric.channels')}</th><th>{v.t('plans.on_limit')}</th></tr></thead>
          <tbody>{d.plans.map((p) => (
            <tr><td><a href={`/billing/plans/${p.id}`}>{p.name}</a></td><td>{money(p.monthlyPriceMinor, p.currency)}</td><td>{lim(p.included.messages)}</td><td>{lim(p.included.ai_replies)}</td><td>{lim(p.included.ai_tokens)}</td><td>{lim(p.included.api_calls)}</td><td>{lim(p.included.channels)}</td><td>{v.t(`plans.on_limit.${p.onLimit}`)}</td></tr>
          ))}</tbody>
        </table>
      )}
      <section class="card">
        <h2>{d.editing ? v.t('plans.edit', { name: d.editing.name }) : v.t('plans.new')}</h2>
        {d.editing ? <p class="muted">{v.t('plans.edit_note')}</p> : null}
        <form method="post" action={d.editing ? `/billing/plans/${d.editing.id}` : '/billing/plans'} data-testid="plan-form">
          <Csrf v={v} />
          <Field label={v.t('plans.name')} name="name" value={val.name} error={e.name} required />
          <Field label={v.t('plans.currency')} name="currency" value={val.currency ?? 'KZT'} error={e.currency} />
          <Field label={v.t('plans.price_minor')} name="monthly_price_minor" value={val.monthly_price_minor ?? '0'} error={e.monthly_price_minor} />
          {(['messages', 'ai_replies', 'ai_tokens', 'api_calls', 'channels'] as const).map((m) => (
            <fieldset><legend>{v.t(`usage.metric.${m}`)}</legend>
              <Field label={v.t('plans.included')} name={`included_${m}`} value={val[`included_${m}`]} error={e[`included_${m}`]} placeholder="∞" />
              <Field label={v.t(m === 'ai_tokens' || m === 'api_calls' ? 'plans.overage_per_1000' : 'plans.overage_per_unit')} name={`overage_${m}_minor`} value={val[`overage_${m}_minor`] ?? '0'} error={e[`overage_${m}_minor`]} />
            </fieldset>
          ))}
          <SelectField label={v.t('plans.on_limit')} name="on_limit" value={val.on_limit ?? 'bill'} options={[['bill', v.t('plans.on_limit.bill')], ['stop_ai', v.t('plans.on_limit.stop_ai')]]} error={e.on_limit} />
          <button type="submit">{d.editing ? v.t('common.save') : v.t('plans.create')}</button>
        </form>
      </section>
    </Layout>
  );
}

/** A plan as the form's values (minor units as typed; unlimited as empty). */
export function planFormValues(p: Plan): Record<string, string> {
  const out: Record<string, string> = { name: p.name, currency: p.currency, monthly_price_minor: String(p.monthlyPriceMinor), on_limit: p.onLimit };
  for (const m of ['messages', 'ai_replies', 'ai_tokens', 'api_calls', 'channels'] as const) {
    out[`included_${m}`] = p.included[m] === null ? '' : String(p.included[m]);
    out[`overage_${m}_minor`] = String(p.overageMinor[m]);
  }
  return out;
}
