import { Layout, Field, Csrf } from '../layout.tsx';
import { ActionButton, ClientTabs, SelectField, TextAreaField } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { RuleTestResult, Template } from '../../src/automation/index.ts';
import { AutomationTabs, actionText, automationBase } from './automation.tsx';

// The automation screen's other tabs: templates, business hours, the rule tester, import and export.

function Shell({ v, client, active, children }: { v: ViewContext; client: Client; active: string; children: unknown }) {
  return (
    <Layout v={v} title={`${v.t(`automation.tab.${active === '' ? 'rules' : active}`)} · ${client.name}`}>
      <ClientTabs v={v} slug={client.slug} name={client.name} />
      <h1>{v.t('automation.title')}</h1>
      <AutomationTabs v={v} slug={client.slug} active={active} />
      {children as never}
    </Layout>
  );
}

export interface TemplatesView {
  client: Client;
  templates: Template[];
  variables: readonly string[];
  canManage: boolean;
  values?: { code: string; ru: string; kk: string; en: string };
  errors?: Record<string, string>;
}

export function TemplatesPage({ v, d }: { v: ViewContext; d: TemplatesView }) {
  const base = `${automationBase(d.client.slug)}/templates`;
  const e = d.errors ?? {};
  return (
    <Shell v={v} client={d.client} active="templates">
      <p class="muted">{v.t('automation.templates.intro', { vars: d.variables.map((x) => `{{${x}}}`).join(', ') })}</p>
      {d.templates.length === 0 ? <p class="muted">{v.t('automation.templates.none')}</p> : (
        <table data-testid="templates">
          <thead><tr><th>{v.t('automation.templates.code')}</th><th>ru</th><th>kk</th><th>en</th><th></th></tr></thead>
          <tbody>
            {d.templates.map((t) => (
              <tr>
                <td><code>/{t.code}</code></td><td>{t.text.ru}</td><td>{t.text.kk}</td><td>{t.text.en}</td>
                <td>{d.canManage ? <ActionButton v={v} action={`${base}/${t.code}/delete`} label={v.t('automation.rules.delete')} danger /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.canManage ? (
        <section class="card">
          <h2>{v.t('automation.templates.add')}</h2>
          {e.form ? <p class="error" role="alert">{e.form}</p> : null}
          <form method="post" action={base}>
            <Csrf v={v} />
            <Field label={v.t('automation.templates.code')} name="code" value={d.values?.code} error={e.code} placeholder="delivery" required />
            <TextAreaField label={v.t('automation.templates.text_ru')} name="ru" value={d.values?.ru} error={e.ru} />
            <TextAreaField label={v.t('automation.templates.text_kk')} name="kk" value={d.values?.kk} error={e.kk} />
            <TextAreaField label={v.t('automation.templates.text_en')} name="en" value={d.values?.en} error={e.en} />
            <button type="submit">{v.t('automation.templates.save')}</button>
          </form>
        </section>
      ) : null}
    </Shell>
  );
}

export interface HoursView {
  client: Client;
  days: readonly string[];
  /** Per day, its intervals as typed ("09:00-13:00, 14:00-18:00"). */
  week: Record<string, string>;
  holidays: string;
  outOfHoursTemplate: string;
  templateCodes: string[];
  openNow: boolean | null;
  canManage: boolean;
  errors?: Record<string, string>;
}

export function HoursPage({ v, d }: { v: ViewContext; d: HoursView }) {
  const e = d.errors ?? {};
  return (
    <Shell v={v} client={d.client} active="hours">
      <p class="muted">{v.t('automation.hours.intro', { zone: d.client.timezone })}</p>
      {d.openNow === null ? null : <p><span class={d.openNow ? 'badge on' : 'badge off'}>{v.t(d.openNow ? 'automation.hours.now_open' : 'automation.hours.now_closed')}</span></p>}
      {e.form ? <p class="error" role="alert">{e.form}</p> : null}
      <form method="post" action={`${automationBase(d.client.slug)}/hours`} class="card">
        <Csrf v={v} />
        {d.days.map((day) => <Field label={v.t(`automation.day.${day}`)} name={`day_${day}`} value={d.week[day] ?? ''} error={e[`day_${day}`]} placeholder="09:00-18:00" />)}
        <TextAreaField label={v.t('automation.hours.holidays')} name="holidays" value={d.holidays} error={e.holidays} rows={4} />
        <SelectField label={v.t('automation.hours.out_of_hours')} name="out_of_hours_template" value={d.outOfHoursTemplate}
          options={[['', v.t('automation.hours.none')], ...d.templateCodes.map((c): [string, string] => [c, `/${c}`])]} error={e.out_of_hours_template} />
        {d.canManage ? <button type="submit">{v.t('common.save')}</button> : null}
      </form>
    </Shell>
  );
}

export interface TesterView {
  client: Client;
  events: readonly string[];
  channels: Array<{ id: string; name: string; kind: string }>;
  values: { text: string; event: string; channel: string; tags: string; at: string };
  result?: RuleTestResult;
  errors?: Record<string, string>;
}

export function TesterResult({ v, r }: { v: ViewContext; r?: RuleTestResult }) {
  if (!r) return <div id="tester-result" />;
  return (
    <div id="tester-result" class="card" role="status" data-testid="tester-result">
      <p class="muted">{v.t('automation.tester.language', { lang: r.language })} · {v.t('automation.tester.hours', { state: r.open === null ? v.t('automation.tester.no_hours') : v.t(r.open ? 'automation.hours.now_open' : 'automation.hours.now_closed') })}</p>
      {r.matched.length === 0 ? <p>{v.t('automation.tester.no_match')}</p> : (
        <>
          <h2>{v.t('automation.tester.matched')}</h2>
          <ol class="tester-matches">
            {r.matched.map((m) => (
              <li data-rule={m.name}>
                <strong>{m.name}</strong>
                <ul>{m.actions.map((a) => <li>{actionText(v, a)}{a.preview ? <> — {v.t('automation.tester.preview')}: <q>{a.preview}</q></> : null}</li>)}</ul>
              </li>
            ))}
          </ol>
          {r.stopped ? <p class="muted">{v.t('automation.tester.stopped')}</p> : null}
        </>
      )}
      <p class="muted"><small>{v.t('automation.tester.nothing_sent')}</small></p>
    </div>
  );
}

export function TesterPage({ v, d }: { v: ViewContext; d: TesterView }) {
  const e = d.errors ?? {};
  const url = `${automationBase(d.client.slug)}/tester`;
  return (
    <Shell v={v} client={d.client} active="tester">
      <p class="muted">{v.t('automation.tester.intro')}</p>
      <form method="post" action={url} hx-post={url} hx-target="#tester-result" hx-select="#tester-result" hx-swap="outerHTML" class="card" data-testid="tester-form">
        <Csrf v={v} />
        <TextAreaField label={v.t('automation.tester.text')} name="text" value={d.values.text} error={e.text} />
        <SelectField label={v.t('automation.rule.event')} name="event" value={d.values.event} options={d.events.map((x) => [x, v.t(`automation.event.${x}`, { minutes: 'N' })])} />
        <SelectField label={v.t('automation.tester.channel')} name="channel" value={d.values.channel} options={d.channels.map((c) => [c.id, c.name])} error={e.channel} />
        <Field label={v.t('automation.tester.tags')} name="tags" value={d.values.tags} />
        <Field label={v.t('automation.tester.at')} name="at" type="datetime-local" value={d.values.at} error={e.at} />
        <button type="submit">{v.t('automation.tester.run')}</button>
      </form>
      <TesterResult v={v} r={d.result} />
    </Shell>
  );
}

export interface TransferView {
  client: Client;
  canManage: boolean;
  values?: { kind: string; json: string };
  errors?: Record<string, string>;
}

export function TransferPage({ v, d }: { v: ViewContext; d: TransferView }) {
  const base = automationBase(d.client.slug);
  const e = d.errors ?? {};
  return (
    <Shell v={v} client={d.client} active="transfer">
      <p class="muted">{v.t('automation.transfer.intro')}</p>
      <p>
        <a class="button" href={`${base}/export/rules.json`} download="rules.json" hx-boost="false">{v.t('automation.transfer.export_rules')}</a>{' '}
        <a class="button" href={`${base}/export/templates.json`} download="templates.json" hx-boost="false">{v.t('automation.transfer.export_templates')}</a>
      </p>
      {d.canManage ? (
        <form method="post" action={`${base}/import`} class="card">
          <Csrf v={v} />
          <SelectField label={v.t('automation.transfer.kind')} name="kind" value={d.values?.kind ?? 'templates'}
            options={[['templates', v.t('automation.tab.templates')], ['rules', v.t('automation.tab.rules')]]} />
          <TextAreaField label={v.t('automation.transfer.json')} name="json" value={d.values?.json} error={e.json} rows={12} />
          <button type="submit">{v.t('automation.transfer.import')}</button>
        </form>
      ) : null}
    </Shell>
  );
}
