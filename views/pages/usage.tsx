import { Layout } from '../layout.tsx';
import { ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';

export interface UsageDay {
  date: string;
  messageIn: number;
  messageOut: number;
  aiCalls: number;
  aiTokens: number;
  apiCalls: number;
}

export interface UsagePageView {
  client: Client;
  /** YYYY-MM shown */
  month: string;
  /** YYYY-MM choices, newest first */
  months: string[];
  days: UsageDay[];
  channels: Array<{ id: string | null; name: string; messageIn: number; messageOut: number }>;
  totals: Omit<UsageDay, 'date'> & { channels: number };
  plan: string | null;
  quotas: Array<{ metric: string; included: number; used: number; percent: number }>;
  aiStopped: boolean;
}

/** A bar chart drawn on the server: readable without JavaScript, each bar titled with its figures. */
export function BarChart(props: { title: string; days: UsageDay[]; series: Array<{ label: string; cls: string; value: (d: UsageDay) => number }>; testid: string }) {
  const W = 720;
  const H = 180;
  const pad = { l: 44, b: 22, t: 8 };
  const n = Math.max(props.days.length, 1);
  const max = Math.max(1, ...props.days.map((d) => props.series.reduce((s, x) => s + x.value(d), 0)));
  const bw = (W - pad.l) / n;
  const y = (v: number) => ((H - pad.b - pad.t) * v) / max;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title} data-testid={props.testid} xmlns="http://www.w3.org/2000/svg">
        <title>{props.title}</title>
        <line x1={pad.l} y1={H - pad.b} x2={W} y2={H - pad.b} class="axis" />
        <text x={pad.l - 4} y={pad.t + 8} text-anchor="end" class="tick">{max}</text>
        <text x={pad.l - 4} y={H - pad.b} text-anchor="end" class="tick">0</text>
        {props.days.map((d, i) => {
          let base = H - pad.b;
          const x = pad.l + i * bw + 1;
          return (
            <g>
              {props.series.map((s) => {
                const h = y(s.value(d));
                base -= h;
                return h > 0 ? <rect x={x.toFixed(1)} y={base.toFixed(1)} width={Math.max(bw - 2, 1).toFixed(1)} height={h.toFixed(1)} class={s.cls}><title>{`${d.date} · ${s.label}: ${s.value(d)}`}</title></rect> : null;
              })}
              {i % Math.ceil(n / 10) === 0 ? <text x={(x + bw / 2).toFixed(1)} y={H - 6} text-anchor="middle" class="tick">{d.date.slice(8)}</text> : null}
            </g>
          );
        })}
      </svg>
      <figcaption>{props.title}: {props.series.map((s) => <span class={`key ${s.cls}`}>■ {s.label} </span>)}</figcaption>
    </figure>
  );
}

export function UsageScreen({ v, d }: { v: ViewContext; d: UsagePageView }) {
  const base = `/clients/${d.client.slug}/usage`;
  return (
    <Layout v={v} title={`${v.t('usage.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('usage.title')}</h1>
      <form method="get" class="filters">
        <label class="field"><span>{v.t('usage.month')}</span>
          <select name="month">{d.months.map((m) => <option value={m} selected={m === d.month}>{m}</option>)}</select>
        </label>
        <button type="submit" class="small">{v.t('common.filter')}</button>
        <a href={`${base}.csv?month=${d.month}`} data-testid="usage-csv">{v.t('usage.csv')}</a>
      </form>
      <p class="muted">{d.plan ? v.t('usage.plan', { plan: d.plan }) : v.t('usage.no_plan')} · <a href={`/clients/${d.client.slug}/billing`}>{v.t('billing.title')}</a></p>
      {d.aiStopped ? <p class="banner warn" role="alert">{v.t('usage.ai_stopped')}</p> : null}
      {d.quotas.length ? (
        <table data-testid="usage-quotas">
          <thead><tr><th>{v.t('usage.metric')}</th><th>{v.t('usage.included')}</th><th>{v.t('usage.used')}</th><th>%</th></tr></thead>
          <tbody>{d.quotas.map((q) => <tr class={q.percent >= 100 ? 'over' : q.percent >= 80 ? 'near' : ''}><td>{v.t(`usage.metric.${q.metric}`)}</td><td>{q.included}</td><td>{q.used}</td><td>{q.percent}</td></tr>)}</tbody>
        </table>
      ) : null}
      <BarChart testid="chart-messages" title={v.t('usage.chart.messages')} days={d.days} series={[
        { label: v.t('usage.kind.message_in'), cls: 'bar-a', value: (x) => x.messageIn },
        { label: v.t('usage.kind.message_out'), cls: 'bar-b', value: (x) => x.messageOut },
      ]} />
      <BarChart testid="chart-ai" title={v.t('usage.chart.ai')} days={d.days} series={[{ label: v.t('usage.kind.ai_call'), cls: 'bar-c', value: (x) => x.aiCalls }]} />
      <h2>{v.t('usage.by_day')}</h2>
      <table data-testid="usage-days">
        <thead><tr><th>{v.t('usage.day')}</th><th>{v.t('usage.kind.message_in')}</th><th>{v.t('usage.kind.message_out')}</th><th>{v.t('usage.kind.ai_call')}</th><th>{v.t('usage.ai_tokens')}</th><th>{v.t('usage.kind.api_call')}</th></tr></thead>
        <tbody>
          {d.days.map((x) => <tr><td>{x.date}</td><td>{x.messageIn}</td><td>{x.messageOut}</td><td>{x.aiCalls}</td><td>{x.aiTokens}</td><td>{x.apiCalls}</td></tr>)}
          <tr><th>{v.t('usage.total')}</th><th>{d.totals.messageIn}</th><th>{d.totals.messageOut}</th><th>{d.totals.aiCalls}</th><th>{d.totals.aiTokens}</th><th>{d.totals.apiCalls}</th></tr>
        </tbody>
      </table>
      <h2>{v.t('usage.by_channel')}</h2>
      <p class="muted">{v.t('usage.active_channels', { n: d.totals.channels })}</p>
      {d.channels.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table data-testid="usage-channels">
          <thead><tr><th>{v.t('usage.channel')}</th><th>{v.t('usage.kind.message_in')}</th><th>{v.t('usage.kind.message_out')}</th></tr></thead>
          <tbody>{d.channels.map((c) => <tr><td>{c.name}</td><td>{c.messageIn}</td><td>{c.messageOut}</td></tr>)}</tbody>
        </table>
      )}
    </Layout>
  );
}
