import { Layout } from '../layout.tsx';
import { AiTabs, ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { AiReport, UsageRow } from '../../src/ai/index.ts';

export interface UsageView {
  client: Client;
  days: number;
  rows: Array<UsageRow & { cost: string }>;
  total: { calls: number; failures: number; tokensIn: number; tokensOut: number; cost: string };
  report: AiReport;
}

const duration = (v: ViewContext, ms: number | null) => {
  if (ms === null) return '—';
  if (ms < 60_000) return v.t('unit.seconds', { n: Math.round(ms / 1000) });
  return ms < 5 * 3600_000 ? v.t('unit.minutes', { n: Math.round(ms / 60_000) }) : v.t('unit.hours', { n: Math.round(ms / 3600_000) });
};

export function UsagePage({ v, d }: { v: ViewContext; d: UsageView }) {
  const r = d.report;
  const fr = (p: AiReport['firstResponseAi']) => v.t('ai.report.p50_p90', { p50: duration(v, p.p50Ms), p90: duration(v, p.p90Ms), n: p.n });
  return (
    <Layout v={v} title={`${v.t('ai.usage')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('ai.usage')}</h1>
      <AiTabs v={v} slug={d.client.slug} />
      <form method="get" class="filters">
        <label class="field"><span>{v.t('ai.usage.days')}</span>
          <select name="days">{[7, 30, 90].map((n) => <option value={String(n)} selected={n === d.days}>{n}</option>)}</select>
        </label>
        <button type="submit" class="small">{v.t('common.filter')}</button>
      </form>
      <p class="muted">{v.t('ai.usage.intro')} <a href={`/clients/${d.client.slug}/usage`} data-testid="all-usage">{v.t('usage.all_usage')}</a></p>
      {d.rows.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table data-testid="usage-table">
          <thead><tr><th>{v.t('ai.usage.day')}</th><th>{v.t('ai.usage.model')}</th><th>{v.t('ai.usage.calls')}</th><th>{v.t('ai.usage.failures')}</th><th>{v.t('ai.usage.tokens_in')}</th><th>{v.t('ai.usage.tokens_out')}</th><th>{v.t('ai.usage.cost')}</th></tr></thead>
          <tbody>
            {d.rows.map((x) => <tr><td>{x.day}</td><td>{x.provider}/{x.model}</td><td>{x.calls}</td><td>{x.failures}</td><td>{x.tokensIn}</td><td>{x.tokensOut}</td><td>{x.cost}</td></tr>)}
            <tr><th colspan={2}>{v.t('ai.usage.total')}</th><th>{d.total.calls}</th><th>{d.total.failures}</th><th>{d.total.tokensIn}</th><th>{d.total.tokensOut}</th><th>{d.total.cost}</th></tr>
          </tbody>
        </table>
      )}
      <section class="card">
        <h2>{v.t('ai.report')}</h2>
        <table data-testid="ai-report">
          <tbody>
            <tr><td>{v.t('ai.report.conversations')}</td><td>{r.conversations}</td></tr>
            <tr><td>{v.t('ai.report.ai_alone')}</td><td>{r.aiAlone}</td></tr>
            <tr><td>{v.t('ai.report.handed_off')}</td><td>{r.handedOff}</td></tr>
            {Object.entries(r.handoffReasons).map(([k, n]) => <tr><td>— {v.t(`ai.reason.${k}`)}</td><td>{n}</td></tr>)}
            <tr><td>{v.t('ai.report.first_ai')}</td><td>{fr(r.firstResponseAi)}</td></tr>
            <tr><td>{v.t('ai.report.first_human')}</td><td>{fr(r.firstResponseHuman)}</td></tr>
          </tbody>
        </table>
      </section>
    </Layout>
  );
}
